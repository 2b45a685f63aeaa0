import Foundation
import Hummingbird
import Services
import Storage

/// The context of routes that need a signed-in caller: it holds the bearer token's hash,
/// never a database answer. The use case checks the session inside its own transaction.
public struct SignedInContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let caller: Caller

    public init(context: AppRequestContext) throws {
        guard let tokenHash = context.sessionTokenHash else {
            throw Problem.unauthenticated("Sign in and send the session token as `Authorization: Bearer …`.")
        }
        self.coreContext = context.coreContext
        self.caller = Caller(
            sessionTokenHash: tokenHash,
            clientAddress: context.clientAddress,
            route: context.route
        )
    }

    public var maxUploadSize: Int { 64 * 1024 }

    public var responseEncoder: JSONEncoder { makeResponseEncoder() }
}
