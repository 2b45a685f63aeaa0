import Crypto
import Foundation
import Hummingbird
import Services
import Storage

/// The console's two cookies (DESIGN §11): the session (`HttpOnly`, `SameSite=Lax`,
/// `Secure` with the `__Host-` prefix unless served over plain HTTP on a loopback address)
/// and the CSRF secret that every form repeats in a hidden field.
struct ConsoleCookies: Sendable {
    let secure: Bool
    let sessionName: String
    let csrfName: String
    let sessionLifetime: Duration

    init(publicBaseURL: String, sessionLifetime: Duration) {
        let url = URL(string: publicBaseURL)
        let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(url?.host ?? "")
        secure = !(url?.scheme == "http" && loopback)
        sessionName = secure ? "__Host-mpmp_session" : "mpmp_session"
        csrfName = secure ? "__Host-mpmp_csrf" : "mpmp_csrf"
        self.sessionLifetime = sessionLifetime
    }

    /// The session token of the request, when it has one of the right shape.
    func sessionToken(of request: Request) -> String? {
        guard let value = request.cookies[sessionName]?.value, SecretToken.isWellFormed(value) else { return nil }
        return value
    }

    /// The caller of a signed-in page, or nil without a session cookie.
    func caller(of request: Request, clientAddress: String?, route: String) -> Caller? {
        sessionToken(of: request).map { Caller(sessionTokenHash: SecretToken.hash($0), clientAddress: clientAddress, route: route) }
    }

    func session(_ token: String) -> Cookie {
        Cookie(
            name: sessionName, value: token, maxAge: Int(sessionLifetime.components.seconds), path: "/", secure: secure,
            httpOnly: true, sameSite: .lax
        )
    }

    func endedSession() -> Cookie {
        Cookie(name: sessionName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// The request's CSRF secret, or a new one (then `isNew`, and the page sets the cookie).
    func csrf(of request: Request) -> (token: String, isNew: Bool) {
        if let value = request.cookies[csrfName]?.value, SecretToken.isWellFormed(value) { return (value, false) }
        return (SecretToken.generate(), true)
    }

    func csrfCookie(_ token: String) -> Cookie {
        Cookie(name: csrfName, value: token, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// Why a form is not taken as ours.
    enum FormRefusal: String {
        case noCookie = "no CSRF cookie"
        case mismatch = "the CSRF field does not repeat the cookie"
        case foreignOrigin = "sent from another origin"
    }

    /// A form is ours when its hidden `csrf` field repeats the cookie and, if the browser
    /// says where the form came from (`Origin`), that is this host.
    func refusal(of request: Request, field: String?) -> FormRefusal? {
        guard let cookie = request.cookies[csrfName]?.value, SecretToken.isWellFormed(cookie) else { return .noCookie }
        guard let field, SHA256.hash(data: Data(cookie.utf8)) == SHA256.hash(data: Data(field.utf8)) else { return .mismatch }
        if let origin = request.headers[.origin] {
            guard let host = request.head.authority, let url = URL(string: origin), let originHost = url.host else { return .foreignOrigin }
            let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
            if originAuthority != host { return .foreignOrigin }
        }
        return nil
    }

    func acceptsForm(_ request: Request, field: String?) -> Bool {
        refusal(of: request, field: field) == nil
    }
}
