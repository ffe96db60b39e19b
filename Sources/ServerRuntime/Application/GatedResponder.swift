public import Hummingbird
public import NIOCore

/// The application's responder: each request runs the router (every middleware, the route, the
/// handler) admitted by `gate`, in a child task that ends with it unless its connection is one
/// of `gate.inlineConnections` (then in the connection's own task, as Hummingbird runs it).
///
/// Why here, above the router, rather than in a middleware: a connection's task keeps its
/// allocator's slabs at the deepest point it ever reached, for as long as the connection is
/// open, idle or not (see `RequestGate`). Whatever runs in that task before the child starts
/// stays resident on every open connection. Starting the child from the router's first
/// middleware kept `RouterResponder.respond` and `ErrorMiddleware`'s frames there, about 4 KB
/// per connection; from here only this frame stays. Requests waiting at the gate wait here too,
/// with that shallower stack.
///
/// Without a gate, requests run in the connection's task, as Hummingbird runs them.
public struct GatedResponder<Base: HTTPResponder>: HTTPResponder where Base.Context: Sendable {
    public typealias Context = Base.Context

    let base: Base
    let gate: RequestGate?
    /// The request's connection, when the context knows it (`ConnectionRequestContext`); without
    /// it every admitted request runs in a child task.
    let connection: (@Sendable (Context) -> any Channel)?

    public init(_ base: Base, gate: RequestGate?) {
        self.base = base
        self.gate = gate
        // Decided once here, not with a cast per request.
        if let type = Context.self as? any ConnectionRequestContext.Type {
            self.connection = Self.connection(of: type)
        } else {
            self.connection = nil
        }
    }

    private static func connection<Known: ConnectionRequestContext>(of _: Known.Type) -> @Sendable (Context) -> any Channel {
        // `Known` is `Context` itself, so the cast always succeeds (and costs no conformance lookup).
        { context in (context as! Known).connection }
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        guard let gate else { return try await base.respond(to: request, context: context) }
        await gate.enter()
        defer { gate.leave() }
        if let connection, gate.inlineConnections.admit(connection(context)) {
            return try await base.respond(to: request, context: context)
        }
        return try await withThrowingTaskGroup(of: Response.self) { group in
            // Immediate: the child starts on this thread rather than being enqueued, and a
            // handler that never suspends finishes before `next()` is asked, so the request
            // costs no executor hop (18,600 of 190,000 instructions per health check with
            // `addTask`, against 13,400 now; callgrind).
            group.addImmediateTask { [base] in try await base.respond(to: request, context: context) }
            return try await group.next()!
        }
    }
}
