import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// The audit trail (Center admins: everything; a CEO: their town's), newest first, a page
/// at a time, narrowed to one town.
struct AuditPages {
    let console: Console

    var services: Services { console.services }

    func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.get("/audit") { request, context in
            await trail(request, clientAddress: context.clientAddress)
        }
    }

    static let pageSize = 50

    static func time(_ date: Date) -> String {
        let day = CivilDate(date)
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) % 86_400
        let minutes = (seconds + 86_400) % 86_400 / 60
        return "\(day) \(minutes / 60 < 10 ? "0" : "")\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60) UTC"
    }

    func trail(_ request: Request, clientAddress: String?) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /audit") else { return Pages.redirect(to: "/login") }
        let tenantText = request.uri.queryParameters["tenant"].map(String.init) ?? ""
        let beforeText = request.uri.queryParameters["before"].map(String.init)
        let tenantID = UUID(uuidString: tenantText)
        if !tenantText.isEmpty, tenantID == nil { return console.errorPage(ServiceError.notFound, request: request) }
        let before = beforeText.flatMap(TimeCursor.decode)
        if beforeText != nil, before == nil { return console.errorPage(ServiceError.malformed(field: "before", reason: "is not a page of this list"), request: request) }
        do {
            let trail = try await services.audit.trail(caller, tenant: tenantID, before: before, limit: Self.pageSize + 1)
            let towns = Dictionary(trail.tenants.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            let shown = Array(trail.events.prefix(Self.pageSize))
            let events: [[String: Any]] = shown.map { event in
                [
                    "time": Self.time(event.occurredAt), "who": event.actorID.flatMap { trail.names[$0] } ?? "—", "action": event.action,
                    "target": event.target, "town": event.tenantID.flatMap { towns[$0] } ?? "The platform",
                    "denied": event.outcome == .denied, "outcome": event.outcome == .denied ? "Refused" : "Done",
                ]
            }
            var values: [String: Any] = [
                "events": events, "hasEvents": !events.isEmpty, "wide": true,
                "fields": [
                    Field(
                        name: "tenant", label: "Town", value: tenantText, required: false,
                        options: [("", "Every trail you may read")] + trail.tenants.map { ($0.id.uuidString.lowercased(), $0.name) }
                    ).values
                ],
            ]
            if trail.events.count > Self.pageSize, let last = shown.last {
                values["next"] = Pages.link("/audit", [("tenant", tenantText), ("before", TimeCursor.encode(last.occurredAt, last.id))].filter { !$0.1.isEmpty })
            }
            if before != nil { values["first"] = Pages.link("/audit", tenantText.isEmpty ? [] : [("tenant", tenantText)]) }
            return console.page("audit", title: "Audit trail", request: request, values: values, signedIn: .init(name: trail.readerName))
        } catch {
            return console.errorPage(error, request: request)
        }
    }
}
