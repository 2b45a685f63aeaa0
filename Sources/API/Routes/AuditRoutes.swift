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
                "\(event.occurredAt.timeIntervalSince1970)|\(event.id.uuidString)"
            }
        }
        group.get("/outbox/failed") { request, context in
            let page = try PageRequest(request)
            let cursor = try page.cursor.map(Self.decodeCursor)
            let mails = try await services.failedMails.list(context.caller, before: cursor, limit: page.limit + 1)
            return page.page(mails.map(FailedMailBody.init)) { mail in
                "\(mail.failedAt.timeIntervalSince1970)|\(mail.id.uuidString)"
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

    static func decodeCursor(_ key: String) throws -> (Date, UUID) {
        let parts = key.split(separator: "|")
        guard parts.count == 2, let seconds = Double(parts[0]), let id = UUID(uuidString: String(parts[1])) else {
            throw Cursor.noSuchPage
        }
        return (Date(timeIntervalSince1970: seconds), id)
    }
}
