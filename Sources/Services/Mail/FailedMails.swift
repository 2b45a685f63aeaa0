import Domain
import Foundation
import Storage

/// The mails given up, for the Center's staff (DESIGN §12: failures are visible): who,
/// what, how many attempts and the last answer, never the body (it may hold a link that
/// signs someone in).
public struct FailedMails: Sendable {
    let services: Services

    /// Newest first, before `cursor` (`failedAt`, id) when given (Center admins).
    public func list(_ caller: Caller, before cursor: (Date, UUID)?, limit: Int) async throws -> [FailedMail] {
        try await services.global(caller, .readAuditLog, target: "outbox/failed") { work in
            try await work.stores.outbox.failed(before: cursor, limit: limit, on: work.connection)
        }
    }
}

extension Services {
    public var failedMails: FailedMails { FailedMails(services: self) }
}
