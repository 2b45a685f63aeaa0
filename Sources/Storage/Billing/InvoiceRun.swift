import Billing
import Domain
import Foundation
import Logging
import PostgresNIO

/// An invoice run of one program year: the use case (`InvoiceRunService`) and the demo
/// loader start it in a Center-scope transaction.
public struct InvoiceRun: Sendable {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unknownProgramYear(program: String, fiscalYear: Int)
        case noFeeSchedule(program: String, fiscalYear: Int)

        public var description: String {
            switch self {
            case .unknownProgramYear(let program, let year): "there is no program year \(program) FY\(year)"
            case .noFeeSchedule(let program, let year): "program year \(program) FY\(year) has no fee schedule yet"
            }
        }
    }

    public let programs: ProgramStore
    public let invoices: InvoiceStore

    public init(programs: ProgramStore, invoices: InvoiceStore) {
        self.programs = programs
        self.invoices = invoices
    }

    public init(logger: Logger) {
        self.init(programs: ProgramStore(logger: logger), invoices: InvoiceStore(logger: logger))
    }

    /// Creates the missing drafts of the program year, prorated over its fiscal year by the
    /// program's jurisdiction's calendar; run it in a Center-scope transaction.
    /// - Returns: the number of drafts created.
    public func run(program: String, fiscalYear year: Int, on connection: PostgresConnection) async throws -> Int {
        guard try await programs.year(program: program, fiscalYear: year, on: connection) != nil,
            let fiscalYear = try await programs.fiscalYear(program: program, endingYear: year, on: connection)
        else { throw Failure.unknownProgramYear(program: program, fiscalYear: year) }
        guard let schedule = try await programs.feeSchedule(program: program, fiscalYear: year, on: connection) else {
            throw Failure.noFeeSchedule(program: program, fiscalYear: year)
        }
        return try await invoices.createDrafts(program: program, fiscalYear: fiscalYear, schedule: schedule, on: connection)
    }
}

extension InvoiceStore {
    /// One draft invoice per enrollment of the program year that has no live invoice:
    /// one query for the candidates, the fee and proration in Swift (the `Billing` rules),
    /// one set-based insert. A run repeated, or two at once, never bills an enrollment
    /// twice: the partial unique index admits one live invoice per enrollment.
    ///
    /// - Returns: the number of drafts created.
    public func createDrafts(
        program: String,
        fiscalYear: FiscalYear,
        schedule: FeeSchedule,
        on connection: PostgresConnection
    ) async throws -> Int {
        let rows = try await connection.query(
            """
            SELECT e.tenant_id, e.id, e.joined_on::text, t.population
            FROM enrollments e JOIN tenants t ON t.tenant_id = e.tenant_id
            WHERE e.program_code = \(program) AND e.fiscal_year = \(try smallint(fiscalYear.endingYear))
              AND NOT EXISTS (
                  SELECT FROM invoices i
                  WHERE i.tenant_id = e.tenant_id AND i.enrollment_id = e.id AND i.status <> 'void'
              )
            """,
            logger: logger
        )
        var tenantIDs: [UUID] = []
        var enrollmentIDs: [UUID] = []
        var annualFees: [Int64] = []
        var billedDays: [Int] = []
        var amounts: [Int64] = []
        for try await (tenantID, enrollmentID, joined, population) in rows.decode((UUID, UUID, String, Int?).self) {
            let annualFee = schedule.annualFee(forSize: population)
            guard let joinedOn = CivilDate(iso8601: joined),
                let days = try? Proration.remainingDays(joining: joinedOn, in: fiscalYear),
                let amount = try? Proration.proratedFee(annualFee, joining: joinedOn, in: fiscalYear)
            else { continue }
            tenantIDs.append(tenantID)
            enrollmentIDs.append(enrollmentID)
            annualFees.append(annualFee)
            billedDays.append(days)
            amounts.append(amount)
        }
        guard !tenantIDs.isEmpty else { return 0 }
        // One row back (the count), not one per draft.
        let inserted = try await connection.query(
            """
            WITH inserted AS (
            INSERT INTO invoices (tenant_id, enrollment_id, program_code, fiscal_year, annual_fee_cents, billed_days, year_days, amount_cents)
            SELECT tenant, enrollment, \(program), \(try smallint(fiscalYear.endingYear)), fee, days, \(fiscalYear.numberOfDays), amount
            FROM unnest(\(tenantIDs)::uuid[], \(enrollmentIDs)::uuid[], \(annualFees)::bigint[], \(billedDays)::int[], \(amounts)::bigint[])
                AS candidate(tenant, enrollment, fee, days, amount)
            ON CONFLICT (tenant_id, enrollment_id) WHERE status <> 'void' DO NOTHING
            RETURNING 1
            )
            SELECT count(*)::int FROM inserted
            """,
            logger: logger
        )
        for try await count in inserted.decode(Int.self) { return count }
        return 0
    }
}
