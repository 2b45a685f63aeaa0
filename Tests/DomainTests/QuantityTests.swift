import Domain
import Foundation
import Testing

@Suite("Quantities: exact fixed point")
struct QuantityTests {
    @Test(
        "numeric text to canonical text",
        arguments: [
            ("0", "0"), ("-0", "0"), ("-0.000", "0"), ("+7", "7"), ("12.50", "12.5"), ("-12.50", "-12.5"),
            ("0.000001", "0.000001"), (".5", "0.5"), ("5.", "5"), ("007.1000", "7.1"), ("100", "100"),
            ("0000000000000000000000000000000000000000012.5", "12.5"),
            ("999999999999999.999999999999999999", "999999999999999.999999999999999999"),
            ("-999999999999999.999999999999999999", "-999999999999999.999999999999999999"),
            // Exponents: PostgreSQL never writes them, JSON may.
            ("1e3", "1000"), ("2.5E-4", "0.00025"), ("-1.5e+2", "-150"), ("1e14", "100000000000000"),
            ("1e-1000000000", "0"), ("0e999999999999999999999", "0"), ("12345e-3", "12.345"),
        ]
    )
    func parsesAndPrints(text: String, canonical: String) throws {
        let quantity = try #require(Quantity(text))
        #expect(quantity.description == canonical)
        #expect(Quantity(canonical) == quantity)
        #expect(Quantity(utf8: Array(text.utf8)) == quantity)
        // A collection without contiguous storage takes the copying path.
        #expect(Quantity(utf8: text.utf8.lazy.map { $0 }) == quantity)
    }

    @Test(
        "half-even beyond 18 fraction digits",
        arguments: [
            ("0.0000000000000000005", "0"),
            ("0.0000000000000000015", "0.000000000000000002"),
            ("0.0000000000000000025", "0.000000000000000002"),
            ("0.0000000000000000025000000000000000000000000000001", "0.000000000000000003"),
            ("0.00000000000000000249999", "0.000000000000000002"),
            ("-0.0000000000000000015", "-0.000000000000000002"),
            ("-0.0000000000000000005", "0"),
            ("0.0000000000000000004999", "0"),
            ("123456789.012345678901234567890123456789", "123456789.012345678901234568"),
            // More than 37 significant digits: the digits past the 37th only break ties.
            ("1.0000000000000000005", "1"),
            ("1.0000000000000000015", "1.000000000000000002"),
            ("1.0000000000000000005000000000000000000001", "1.000000000000000001"),
            ("1.0000000000000000004999999999999999999999999", "1"),
            ("0.1234567890123456789012345678901234567890123456789", "0.123456789012345679"),
        ]
    )
    func rounds(text: String, canonical: String) throws {
        #expect(try #require(Quantity(text)).description == canonical)
    }

    @Test(
        "anything else, and 10^15 or more, is nil",
        arguments: [
            "", "-", "+", ".", "-.", "abc", "1.2.3", " 1", "1 ", "NaN", "Infinity", "-Infinity", "1e", "1e+", "e5",
            "1,5", "0x10", "--1", "+-1", "1e3.5", "1e3e4", "١٢", "1000000000000000", "-1000000000000000",
            "999999999999999.9999999999999999995", "1e15", "1e1000000000", "123456789012345678901234567890123456789012",
        ]
    )
    func refuses(text: String) {
        #expect(Quantity(text) == nil)
        #expect(Quantity(utf8: Array(text.utf8)) == nil)
    }

    @Test("integers up to the bound", arguments: [(0, "0"), (-42, "-42"), (999_999_999_999_999, "999999999999999")])
    func integers(integer: Int, canonical: String) {
        #expect(Quantity(integer)?.description == canonical)
    }

    @Test("integers at or beyond 10^15 and mantissas beyond 10^33 are nil", arguments: [1_000_000_000_000_000, -1_000_000_000_000_000, Int.max, Int.min])
    func integersOutOfRange(integer: Int) {
        #expect(Quantity(integer) == nil)
        #expect(Quantity(mantissa: Int128(integer) * Quantity.scale) == nil)
    }

    @Test("mantissas at the bound")
    func mantissas() {
        #expect(Quantity(mantissa: Quantity.mantissaBound - 1) != nil)
        #expect(Quantity(mantissa: -Quantity.mantissaBound + 1) != nil)
        #expect(Quantity(mantissa: Quantity.mantissaBound) == nil)
        #expect(Quantity(mantissa: Int128.min) == nil)
        #expect(Quantity(mantissa: 1)?.description == "0.000000000000000001")
    }

    @Test(
        "to and from Decimal",
        arguments: ["0", "12.5", "-12.5", "0.000000000000000001", "-999999999999999.999999999999999999", "123456789.123456789", "1000"]
    )
    func decimals(text: String) throws {
        let decimal = try #require(Decimal(string: text))
        let quantity = try #require(Quantity(decimal))
        #expect(quantity.description == Quantity(text)?.description)
        #expect(quantity.decimal == decimal)
        #expect(quantity.decimal.description == quantity.description)
    }

    @Test("Decimals that do not fit are nil; finer ones round half-even")
    func decimalEdges() throws {
        #expect(Quantity(Decimal.nan) == nil)
        #expect(Quantity(try #require(Decimal(string: "1e15"))) == nil)
        #expect(Quantity(try #require(Decimal(string: "-1e30"))) == nil)
        #expect(Quantity(try #require(Decimal(string: "1e-30")))?.description == "0")
        #expect(Quantity(try #require(Decimal(string: "0.0000000000000000015")))?.description == "0.000000000000000002")
    }

    @Test("order is numeric order")
    func ordering() throws {
        let texts = ["10", "-0.5", "2", "-12.5", "0", "0.000000000000000001", "1.99"]
        let sorted = try texts.map { try #require(Quantity($0)) }.sorted().map(\.description)
        #expect(sorted == ["-12.5", "-0.5", "0", "0.000000000000000001", "1.99", "2", "10"])
        #expect(Quantity("1.50") == Quantity("1.5"))
        #expect(Set([Quantity("1.50"), Quantity("1.5"), Quantity("1.500000")]).count == 1)
    }

    @Test("JSON numbers both ways")
    func json() throws {
        let values = try ["12.5", "-0.25", "0", "100"].map { try #require(Quantity($0)) }
        let data = try JSONEncoder().encode(values)
        #expect(String(decoding: data, as: UTF8.self) == "[12.5,-0.25,0,100]")
        #expect(try JSONDecoder().decode([Quantity].self, from: data) == values)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Quantity].self, from: Data("[1e20]".utf8)) }
    }
}
