import Foundation
import ZIPFoundation

/// The parts of an .xlsx file (a ZIP package), read with limits checked first: the sizes
/// the archive declares are checked before anything is inflated, and inflating stops as
/// soon as a part gives more than it declared, so a zip bomb is refused having cost little.
struct WorkbookPackage {
    let archive: Archive
    let limits: SpreadsheetLimits

    init(_ bytes: [UInt8], limits: SpreadsheetLimits) throws(SpreadsheetRefusal) {
        guard bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]), let archive = try? Archive(data: Data(bytes), accessMode: .read, pathEncoding: nil) else {
            throw .notAWorkbook
        }
        var total: UInt64 = 0
        for entry in archive {
            let size = entry.uncompressedSize
            total += size
            // A part that inflates far more than text does (XML compresses some 10 to 30
            // times), or parts that together pass the limit: refused unread.
            if size > 1_048_576, size / max(entry.compressedSize, 1) > limits.maximumRatio {
                throw .tooLarge("part \(entry.path) would inflate \(size / max(entry.compressedSize, 1)) times")
            }
            if total > limits.maximumUncompressedBytes {
                throw .tooLarge("its contents come to more than \(limits.maximumUncompressedBytes / 1_048_576) MiB")
            }
        }
        self.archive = archive
        self.limits = limits
    }

    /// The bytes of the part at `path` (without a leading slash), nil when there is none.
    func part(_ path: String) throws(SpreadsheetRefusal) -> Data? {
        guard let entry = archive[path] else { return nil }
        let declared = entry.uncompressedSize
        var data = Data()
        data.reserveCapacity(Int(min(declared, limits.maximumUncompressedBytes)))
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard UInt64(data.count + chunk.count) <= declared else { throw SpreadsheetRefusal.tooLarge("part \(path) holds more than it says") }
                data.append(chunk)
            }
        } catch let refusal as SpreadsheetRefusal {
            throw refusal
        } catch {
            throw .unreadable("part \(path) is damaged")
        }
        return data
    }
}

/// How much of a workbook is read at the most.
public struct SpreadsheetLimits: Sendable {
    public var maximumUncompressedBytes: UInt64
    public var maximumRatio: UInt64
    public var maximumCells: Int

    public init(maximumUncompressedBytes: UInt64 = 128 * 1_048_576, maximumRatio: UInt64 = 200, maximumCells: Int = 1_000_000) {
        self.maximumUncompressedBytes = maximumUncompressedBytes
        self.maximumRatio = maximumRatio
        self.maximumCells = maximumCells
    }
}

/// Why a workbook cannot be read, in words for the person who sent it.
public enum SpreadsheetRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case notAWorkbook
    case tooLarge(String)
    case unreadable(String)
    case noSuchSheet(String, available: [String])

    public var description: String {
        switch self {
        case .notAWorkbook: "the file is not an Excel workbook (.xlsx); save it as one, or as CSV"
        case .tooLarge(let why): "the workbook is too large to read: \(why)"
        case .unreadable(let why): "the workbook cannot be read: \(why)"
        case .noSuchSheet(let name, let available): "the workbook has no sheet named \"\(name)\"; it has \(available.map { "\"\($0)\"" }.joined(separator: ", "))"
        }
    }
}
