import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix
import Storage
import Synchronization

/// bcrypt, off the event loops: a hash at cost 12 takes a quarter of a second.
///
/// bcrypt reads 72 bytes and no further. A longer password (up to 1,024 characters are
/// accepted) is hashed as `sha256$` and the base64 of its SHA-256, so that every byte of it
/// counts; a password of 72 bytes or fewer is hashed as it is, as it always was.
public struct PasswordHasher: Sendable {
    public let cost: UInt8

    public init(cost: UInt8 = 12) {
        precondition(cost >= 12, "bcrypt cost must be at least 12")
        self.cost = cost
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        let input = Self.bcryptInput(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(input, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        let input = Self.bcryptInput(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(input, hash: hash) }
    }

    /// What bcrypt is given for `password`: itself up to 72 bytes, its digest beyond.
    static func bcryptInput(_ password: String) -> String {
        guard password.utf8.count > 72 else { return password }
        return "sha256$" + Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }

    /// Verifies against a hash of nothing anyone knows, at the same cost, so that a login
    /// for an unknown e-mail takes as long as one with a wrong password.
    public func verifyAgainstDecoy(_ password: String) async throws {
        let cost = self.cost
        let decoy = try await NIOThreadPool.singleton.runIfActive { Self.decoyHash(cost: cost) }
        _ = try await verify(password, hash: decoy)
    }

    private static let decoys = Mutex<[UInt8: String]>([:])

    private static func decoyHash(cost: UInt8) -> String {
        if let hash = decoys.withLock({ $0[cost] }) { return hash }
        let hash = Bcrypt.hash(SecretToken.generate(), cost: cost)
        decoys.withLock { $0[cost] = hash }
        return hash
    }
}
