import Billing
import Domain
import Foundation
import PostgresNIO
import Storage

/// The Center's reports across tenants: a program year's funding, and the aging of open
/// balances. Center admins read them through the API; an operator through `mpmp report`.
public struct BillingReportService: Sendable {
    let services: Services

    /// A program year's funding report with its headline figures.
    public struct Funding: Sendable, Hashable {
        public var program: String
        public var fiscalYear: Int
        public var enrolledTenants: Int
        public var analystHeadcount: Int
        public var report: FundingReport
    }

    /// An open invoice and how late it is.
    public struct AgingLine: Sendable, Hashable {
        public var invoice: OpenInvoice
        public var bucket: AgingBucket
    }

    /// Open balances by lateness on a date.
    public struct Aging: Sendable, Hashable {
        public var asOf: CivilDate
        public var totals: AgingTotals
        public var lines: [AgingLine]
    }

    public func funding(_ caller: Caller, program: String, fiscalYear: Int) async throws -> Funding {
        // Every tenant's invoices: a Center admin's `.granted` scope is all of them.
        try await services.global(
            caller, .readProgramReports, target: "programs/\(program)/years/\(fiscalYear)/funding-report", scope: .granted
        ) { work in
            try await Self.funding(program: program, fiscalYear: fiscalYear, on: work.connection, stores: work.stores)
        }
    }

    /// The same report for an operator (`mpmp report funding`), in one Center-scope transaction.
    public func funding(_ caller: Operator, program: String, fiscalYear: Int) async throws -> Funding {
        try await services.asOperator(access: .center) { connection in
            try await Self.funding(program: program, fiscalYear: fiscalYear, on: connection, stores: services.stores)
        }
    }

    static func funding(program: String, fiscalYear: Int, on connection: PostgresConnection, stores: Stores) async throws -> Funding {
        guard let year = try await stores.programs.year(program: program, fiscalYear: fiscalYear, on: connection),
            let report = try await stores.reports.funding(program: program, fiscalYear: fiscalYear, on: connection)
        else {
            throw ServiceError.notFound("There is no program year \(program) FY\(fiscalYear).")
        }
        let enrolled = try await stores.reports.enrollmentCount(program: program, fiscalYear: fiscalYear, on: connection)
        return Funding(
            program: program, fiscalYear: fiscalYear, enrolledTenants: enrolled, analystHeadcount: year.analystHeadcount, report: report
        )
    }

    /// Finalized invoices with money open on `asOf` (today by default), by days past due.
    public func aging(_ caller: Caller, asOf: CivilDate?) async throws -> Aging {
        try await services.global(caller, .readProgramReports, target: "reports/aging", scope: .granted) { work in
            let day = asOf ?? work.today
            let invoices = try await work.stores.reports.openInvoices(asOf: day, on: work.connection)
            var totals = AgingTotals()
            var lines: [AgingLine] = []
            for invoice in invoices {
                totals.add(openCents: invoice.openCents, dueDate: invoice.dueOn, asOf: day)
                lines.append(AgingLine(invoice: invoice, bucket: AgingBucket.of(dueDate: invoice.dueOn, asOf: day)))
            }
            return Aging(asOf: day, totals: totals, lines: lines)
        }
    }
}

extension Services {
    public var billingReports: BillingReportService { BillingReportService(services: self) }
}
