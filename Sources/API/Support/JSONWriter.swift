import Domain
import Foundation
import NIOCore

/// Writes JSON straight into a byte array, for the answers that carry hundreds of values
/// (the dashboard): no Codable reflection, no intermediate strings.
///
/// It writes what `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes` writes for
/// the same body — keys in the order the caller gives (callers give them sorted), absent
/// optionals left out, UUIDs upper-case — so the two can stand in for each other.
struct JSONWriter {
    private(set) var bytes: [UInt8]
    private var needsComma = false

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    var buffer: ByteBuffer { ByteBuffer(bytes: bytes) }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// `"key":`; the value written next belongs to it. Keys are ASCII names of ours.
    mutating func key(_ key: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ text: String) {
        separate()
        Self.appendEscaped(text, to: &bytes)
        needsComma = true
    }

    /// Upper-case, as `UUID.uuidString` and `JSONEncoder` write it.
    mutating func uuid(_ id: UUID) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        withUnsafeBytes(of: id.uuid) { raw in
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 { bytes.append(UInt8(ascii: "-")) }
                let byte = raw[index]
                bytes.append(Self.hexDigit(byte >> 4, upper: true))
                bytes.append(Self.hexDigit(byte & 0x0F, upper: true))
            }
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// `"YYYY-MM-DD"`.
    mutating func date(_ date: CivilDate) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        Self.appendPadded(date.year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.appendPadded(date.month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.appendPadded(date.day, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    mutating func integer(_ value: Int) {
        separate()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        var rest = magnitude
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest / divisor))
            rest %= divisor
            divisor /= 10
        }
        needsComma = true
    }

    mutating func number(_ value: Quantity) {
        separate()
        value.appendText(to: &bytes)
        needsComma = true
    }

    /// A key and its value, or nothing when the value is absent (as `encodeIfPresent`).
    mutating func optional<Value>(_ key: StaticString, _ value: Value?, _ write: (inout JSONWriter, Value) -> Void) {
        guard let value else { return }
        self.key(key)
        write(&self, value)
    }

    private mutating func separate() {
        if needsComma {
            bytes.append(UInt8(ascii: ","))
            needsComma = false
        }
    }

    /// The hexadecimal digit of a nibble (0 to 15).
    static func hexDigit(_ nibble: UInt8, upper: Bool) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : (upper ? UInt8(ascii: "A") : UInt8(ascii: "a")) + nibble - 10
    }

    /// A number from 0 to 9999 in exactly `width` digits (years, months, days).
    static func appendPadded(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: (rest / divisor) % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// JSON string escaping: quote, backslash and control characters; everything else as
    /// UTF-8, slashes included.
    static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hexDigit(byte >> 4, upper: false))
                bytes.append(hexDigit(byte & 0x0F, upper: false))
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
