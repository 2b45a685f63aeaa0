import Billing
import Domain
import Foundation
import Storage

/// The Center's invoices across tenants (Center admins): one page of the list, the count
/// and money of each standing (the filter's tabs), and, for one program year, how its
/// cost splits between the state grant and the towns' fees. One transaction.
extension InvoiceService {
    public struct LedgerQuery: Sendable {
        public var standing: InvoiceStanding?
        public var program: String?
        public var fiscalYear: Int?
        /// The day standings are judged on; today by default.
        public var asOf: CivilDate?
        public var after: UUID?
        public var limit: Int

        public init(standing: InvoiceStanding?, program: String?, fiscalYear: Int?, asOf: CivilDate?, after: UUID?, limit: Int) {
            self.standing = standing
            self.program = program
            self.fiscalYear = fiscalYear
            self.asOf = asOf
            self.after = after
            self.limit = limit
        }
    }

    public struct Ledger: Sendable {
        public var asOf: CivilDate
        public var lines: [InvoiceStore.LedgerLine]
        /// The id to continue after, when there are more.
        public var next: UUID?
        public var totals: [InvoiceStanding: InvoiceStore.StandingTotal]
        /// The program year's funding, when the query names one that exists.
        public var funding: FundingReport?
        public var programs: [String]
        public var readerName: String
    }

    public static let ledgerPageLimit = 1...10_000

    public func ledger(_ caller: Caller, _ query: LedgerQuery) async throws -> Ledger {
        var validation = Validation()
        let limit = validation.integer(query.limit, field: "limit", in: Self.ledgerPageLimit) ?? 50
        if let year = query.fiscalYear, !(1901...2199).contains(year) { validation.fail("fy", "must be a year from 1901 to 2199") }
        if let asOf = query.asOf, !CivilDate.supportedRange.contains(asOf) { validation.fail("asOf", "must be a day from 1900-01-01 to 2199-12-31") }
        try validation.check()
        // Every tenant's invoices: a Center admin's `.granted` scope is all of them.
        return try await services.global(caller, .readProgramReports, target: "invoices", scope: .granted) { work in
            let asOf = query.asOf ?? work.today
            let filter = InvoiceStore.LedgerFilter(standing: query.standing, program: query.program, fiscalYear: query.fiscalYear, asOf: asOf)
            let store = work.stores.invoices
            var lines = try await store.ledger(filter, after: query.after, limit: limit + 1, on: work.connection)
            var next: UUID?
            if lines.count > limit {
                lines.removeLast()
                next = lines.last?.invoice.id
            }
            let totals = try await store.ledgerTotals(filter, on: work.connection)
            var funding: FundingReport?
            if let program = query.program, let year = query.fiscalYear {
                funding = try await work.stores.reports.funding(program: program, fiscalYear: year, on: work.connection)
            }
            let programs = try await work.stores.programs.programs(after: nil, limit: 100, on: work.connection).map(\.code)
            return Ledger(
                asOf: asOf, lines: lines, next: next, totals: totals, funding: funding, programs: programs,
                readerName: work.session.user.displayName
            )
        }
    }

    /// Every invoice the query selects, for a CSV: page after page inside one transaction,
    /// so the file is one consistent picture however long it is.
    public func ledgerExport(_ caller: Caller, _ query: LedgerQuery) async throws -> (asOf: CivilDate, lines: [InvoiceStore.LedgerLine]) {
        try await services.global(caller, .readProgramReports, target: "invoices.csv", scope: .granted) { work in
            let asOf = query.asOf ?? work.today
            let filter = InvoiceStore.LedgerFilter(standing: query.standing, program: query.program, fiscalYear: query.fiscalYear, asOf: asOf)
            var lines: [InvoiceStore.LedgerLine] = []
            var after: UUID?
            repeat {
                let page = try await work.stores.invoices.ledger(filter, after: after, limit: 5_000, on: work.connection)
                lines += page
                after = page.count == 5_000 ? page.last?.invoice.id : nil
            } while after != nil
            return (asOf, lines)
        }
    }
}
