import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// The audit trail: everything for Center admins, their own tenant's for CEOs; and the
/// mails given up, for Center admins.
struct AuditRoutes {
    let services: Services

    func register(on group: RouterGroup<SignedInContext>) {
        group.get("/audit-events") { request, context in
            let page = try PageRequest(request)
            let cursor = try page.cursor.map(Self.decodeCursor)
            var tenantID: UUID?
            if let text = request.uri.queryParameters["tenantId"] {
                guard let id = UUID(uuidString: String(text)) else {
                    throw Problem.badRequest(field: "tenantId", reason: "must be a tenant id (UUID)")
                }
                tenantID = id
            }
            let events = try await services.audit.events(context.caller, tenant: tenantID, before: cursor, limit: page.limit + 1)
            return page.page(events.map(AuditEventBody.init)) { event in
                TimeCursor.encode(event.occurredAt, event.id)
            }
        }
        group.get("/outbox/failed") { request, context in
            let page = try PageRequest(request)
            let cursor = try page.cursor.map(Self.decodeCursor)
            let mails = try await services.failedMails.list(context.caller, before: cursor, limit: page.limit + 1)
            return page.page(mails.map(FailedMailBody.init)) { mail in
                TimeCursor.encode(mail.failedAt, mail.id)
            }
        }
    }

    struct FailedMailBody: ResponseEncodable, Sendable {
        var id: UUID
        var recipient: String
        var subject: String
        var kind: String
        var createdAt: Date
        var failedAt: Date
        var attempts: Int
        var lastError: String

        init(_ mail: FailedMail) {
            id = mail.id
            recipient = mail.recipient
            subject = mail.subject
            kind = mail.kind
            createdAt = mail.createdAt
            failedAt = mail.failedAt
            attempts = mail.attempts
            lastError = mail.lastError
        }
    }

    /// A time cursor (`TimeCursor`); anything else, or one out of 1900–2200, is no page.
    static func decodeCursor(_ key: String) throws -> (Date, UUID) {
        guard let cursor = TimeCursor.decode(key) else { throw Cursor.noSuchPage }
        return cursor
    }
}
