import Foundation
import Hummingbird
import Logging
import Services

/// What the console needs of a request's context: the client's address, for the audit
/// trail and the sign-in throttle.
public protocol ConsoleRequestContext: RequestContext {
    var clientAddress: String? { get }
}

/// The web console (DESIGN §11): server-rendered pages over the same use cases as the API.
/// No SQL, no rule and no transaction here: each page reads a form, calls one use case and
/// renders what came back, or the errors beside their fields.
///
/// This first part serves what everyone does: sign in and out, a forgotten password, a
/// changed password, an accepted invitation, and the home page.
public struct Console: Sendable {
    let services: Services
    let pages: Pages
    let cookies: ConsoleCookies

    /// `publicBaseURL` decides the cookies: `Secure` and the `__Host-` prefix, except on
    /// plain HTTP to a loopback address (a developer's machine).
    public init(services: Services, publicBaseURL: String) throws {
        self.services = services
        self.pages = try Pages()
        self.cookies = ConsoleCookies(publicBaseURL: publicBaseURL, sessionLifetime: services.settingsInForce.sessionLifetime)
    }

    public func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        Assets().register(on: router)
        SignInPages(console: self).register(on: router)
        AccountPages(console: self).register(on: router)
        BillingPages(console: self).register(on: router)
        InvoicePages(console: self).register(on: router)
        CompletenessPages(console: self).register(on: router)
        MeetingPages(console: self).register(on: router)
        ActionItemPages(console: self).register(on: router)
        PublicPages(console: self).register(on: router)
        MeasurePages(console: self).register(on: router)
        PeoplePages(console: self).register(on: router)
        AuditPages(console: self).register(on: router)
        ExportPages(console: self).register(on: router)
        PerformancePages(console: self).register(on: router)
        ReportPages(console: self).register(on: router)
        TenantPages(console: self).register(on: router)
    }

    /// The paths the console answers (for the API's document test: these are not API).
    public static func owns(path: String) -> Bool {
        !(path.hasPrefix("/v1/") || path.hasPrefix("/health/") || path == "/metrics" || path == "/openapi.json")
    }
}
