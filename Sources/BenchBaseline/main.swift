import Hummingbird

// The floor for the server benchmark: Hummingbird 2 answering the template's health route with
// the same body and no middleware, database or authentication. `make bench` compares every route
// of the example server against it, on the same machine in the same run.
//
//     bench-baseline [port]   (default 8090, on 127.0.0.1)
let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 8090
let router = Router()
router.get("/api/v1/utils/health-check/") { _, _ -> Response in
    Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(string: "true")))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
