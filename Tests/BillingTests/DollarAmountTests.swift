import Billing
import Testing

@Suite("Dollar amounts typed in forms")
struct DollarAmountTests {
    @Test(
        "what a person types, in cents",
        arguments: [
            ("1234.56", Int64(123_456)), ("$1,234.56", 123_456), ("1,234", 123_400), ("0.5", 50), (".75", 75), ("12.", 1_200),
            ("  $7,500.00 ", 750_000), ("1,000,000", 100_000_000), ("0", 0), ("999999999999.99", 99_999_999_999_999),
        ]
    )
    func accepted(text: String, cents: Int64) throws {
        #expect(try DollarAmount.cents(text) == cents)
    }

    @Test(
        "what is refused, and why",
        arguments: [
            ("", DollarAmount.Refusal.empty), ("  ", .empty), ("$", .empty), ("-5", .notAnAmount), ("1.234", .tooManyDecimals),
            ("12,34", .notAnAmount), ("1,2345", .notAnAmount), (",123", .notAnAmount), ("1.2.3", .notAnAmount), ("ten", .notAnAmount),
            ("1e3", .notAnAmount), ("١٢", .notAnAmount), ("1000000000000.01", .tooLarge), ("99999999999999999999999", .tooLarge), (".", .notAnAmount),
        ]
    )
    func refused(text: String, refusal: DollarAmount.Refusal) {
        #expect(throws: refusal) { try DollarAmount.cents(text) }
    }
}
