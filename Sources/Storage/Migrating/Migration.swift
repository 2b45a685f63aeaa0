import Crypto
import Foundation

/// One schema change: a `.sql` file of the `Migrations` resources, applied once, in order.
public struct Migration: Sendable, Equatable {
    /// The file name without `.sql`, e.g. `0001_tenancy`; the order is this name's order.
    public let version: String
    public let sql: String
    /// SHA-256 of the file's bytes, hex: an applied migration whose file changed is refused.
    public let checksum: String

    public init(version: String, sql: String) {
        self.version = version
        self.sql = sql
        self.checksum = SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The migrations shipped with this build, in the order they apply.
    public static let bundled: [Migration] = {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil),
            let urls = try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        else {
            fatalError("the Migrations resources are missing from the Storage bundle")
        }
        return urls.filter { $0.pathExtension == "sql" }.map { url in
            guard let sql = try? String(contentsOf: url, encoding: .utf8) else {
                fatalError("migration \(url.lastPathComponent) is not readable UTF-8")
            }
            return Migration(version: url.deletingPathExtension().lastPathComponent, sql: sql)
        }
        .sorted { $0.version < $1.version }
    }()
}
