import Foundation
import Storage

/// The demo program of the poster, for `mpmp demo` and `make run`.
public struct DemoService: Sendable {
    let services: Services

    /// Loads the demo unless its director exists (one transaction for the check, one for
    /// the load); returns whether it loaded. An operator's work: there is no caller.
    public func loadIfMissing(_ operator: Operator) async throws -> Bool {
        let logger = services.database.logger
        do {
            return try await services.database.withConnection { connection in
                try await DemoLoader(logger: logger).loadIfMissing(on: connection)
            }
        } catch {
            throw ServiceError.mapping(error)
        }
    }
}

extension Services {
    public var demo: DemoService { DemoService(services: self) }
}
