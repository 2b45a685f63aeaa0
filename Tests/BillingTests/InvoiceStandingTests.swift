import Billing
import Domain
import Testing

@Suite("Invoice standing")
struct InvoiceStandingTests {
    static let asOf = "2015-08-31"

    /// The rule of the Center's invoice list: status, due day, and the standing on 2015-08-31.
    @Test(
        "an invoice's standing on a day",
        arguments: [
            (InvoiceStatus.draft, nil as String?, InvoiceStanding.draft),
            (.finalized, "2015-09-30", .open),
            (.finalized, "2015-08-31", .open),  // due today: not yet late
            (.finalized, "2015-08-30", .pastDue),  // the day after its due day
            (.finalized, "2014-01-01", .pastDue),
            (.finalized, nil, .open),
            (.paid, "2015-01-01", .paid),  // paid late is paid
            (.void, "2015-01-01", .void),
        ]
    )
    func standing(status: InvoiceStatus, due: String?, expected: InvoiceStanding) throws {
        let asOf = try #require(CivilDate(iso8601: Self.asOf))
        let dueOn = try due.map { try #require(CivilDate(iso8601: $0)) }
        #expect(InvoiceStanding.of(status: status, dueOn: dueOn, asOf: asOf) == expected)
    }

    @Test("each standing comes from its status", arguments: InvoiceStanding.allCases)
    func statusOfStanding(standing: InvoiceStanding) throws {
        let asOf = try #require(CivilDate(iso8601: Self.asOf))
        let dueOn = try #require(CivilDate(iso8601: standing == .pastDue ? "2015-01-01" : "2016-01-01"))
        #expect(InvoiceStanding.of(status: standing.status, dueOn: dueOn, asOf: asOf) == standing)
    }
}
