import Billing
import Domain
import Foundation
import PostgresNIO
import Storage

/// Invoice runs: one draft invoice per enrollment of a program year that has none, safe
/// to repeat and to run twice at once. Center admins start them through the API; an
/// operator through `mpmp invoices run`.
public struct InvoiceRunService: Sendable {
    let services: Services

    /// What a run did.
    public struct Result: Sendable, Hashable {
        public var program: String
        public var fiscalYear: Int
        public var draftsCreated: Int
    }

    /// Runs invoicing for a Center admin; a repeat with the same `idempotency` key gets the
    /// first answer (201) instead of running again.
    public func run(
        _ caller: Caller, program: String, fiscalYear: Int,
        idempotency: IdempotencyKey?, render: @escaping IdempotentRenderer<Result>
    ) async throws -> Idempotent<Result> {
        // Every tenant's enrollments: a Center admin's `.granted` scope is all of them.
        try await services.global(
            caller, .manageBilling, target: "programs/\(program)/years/\(fiscalYear)/invoice-runs", scope: .granted
        ) { work in
            try await work.idempotent(idempotency, status: IdempotentStatus.created, render: render) {
                let result = try await Self.createDrafts(program: program, fiscalYear: fiscalYear, on: work.connection, stores: work.stores)
                try await work.audit("invoice-runs.create", target: Self.auditTarget(result))
                return result
            }
        }
    }

    /// The same run for an operator (`mpmp invoices run`), in one Center-scope transaction.
    public func run(_ caller: Operator, program: String, fiscalYear: Int) async throws -> Result {
        try await services.asOperator(access: .center) { connection in
            let result = try await Self.createDrafts(program: program, fiscalYear: fiscalYear, on: connection, stores: services.stores)
            try await services.stores.audit.record(caller.event("invoice-runs.create", target: Self.auditTarget(result)), on: connection)
            return result
        }
    }

    /// The set-based run of `InvoiceRun` (one query for the candidates, one insert), its
    /// failures worded for the caller.
    static func createDrafts(program: String, fiscalYear: Int, on connection: PostgresConnection, stores: Stores) async throws -> Result {
        do {
            let created = try await InvoiceRun(programs: stores.programs, invoices: stores.invoices)
                .run(program: program, fiscalYear: fiscalYear, on: connection)
            return Result(program: program, fiscalYear: fiscalYear, draftsCreated: created)
        } catch let failure as InvoiceRun.Failure {
            switch failure {
            case .unknownProgramYear: throw ServiceError.notFound("There is no program year \(program) FY\(fiscalYear).")
            case .noFeeSchedule: throw ServiceError.conflict("Program year \(program) FY\(fiscalYear) has no fee schedule; PUT one first.")
            }
        }
    }

    static func auditTarget(_ result: Result) -> String {
        "programs/\(result.program)/years/\(result.fiscalYear): \(result.draftsCreated) drafts"
    }
}

extension Services {
    public var invoiceRuns: InvoiceRunService { InvoiceRunService(services: self) }
}
