import Foundation
import HummingbirdTesting
import ServerRuntime
import Testing

/// Parameters of every location and style, read by one route that echoes what it got.
@Suite("Request reader")
struct RequestReaderTests {
    struct Echo: Encodable {
        var id: UUID?
        var n: Int?
        var flag: Bool?
        var color: Color?
        var list: [Int]?
        var csv: [String]?
        var pipes: [String]?
        var spaces: [String]?
        var filter: [String: String]?
        var when: Date?
        var header: Int?
        var cookie: String?
        var labels: [Int]?
        var ratio: Double
    }

    func makeApp() -> some ApplicationProtocol {
        let router = APIApplication.makeRouter(configuration: APIConfiguration())
        router.get("/things/{id}/{labels}") { request, context -> Response in
            var reader = RequestReader(request, context: context)
            let echo = Echo(
                id: reader.path("id", as: UUID.self),
                n: reader.query("n", as: Int.self, required: true, rules: NumberRules<Int>(minimum: 0)),
                flag: reader.query("flag", as: Bool.self),
                color: reader.query("color", as: Color.self),
                list: reader.queryList("list", of: Int.self),
                csv: reader.queryList("csv", of: String.self, explode: false),
                pipes: reader.queryList("pipes", of: String.self, style: .pipeDelimited, explode: false),
                spaces: reader.queryList("spaces", of: String.self, style: .spaceDelimited, explode: false),
                filter: reader.queryObject("filter", as: [String: String].self),
                when: reader.query("when", as: Date.self),
                header: reader.header("x-count", as: Int.self),
                cookie: reader.cookie("session", as: String.self),
                labels: reader.pathList("labels", of: Int.self, style: .label, explode: true),
                ratio: reader.query("ratio", default: 0.5)
            )
            guard reader.errors.isEmpty else { throw reader.errors }
            return try APIResponse.json(echo)
        }
        return APIApplication.makeApplication(router: router, configuration: APIConfiguration())
    }

    @Test func everyStyleDecodes() async throws {
        try await makeApp().test(.router) { client in
            let uri =
                "/things/1b4e28ba-2fa1-11d2-883f-0016d3cca427/.1.2.3?n=%2B5&flag=on&color=blue%20green&list=1&list=2&csv=a,b"
                + "&pipes=x|y&spaces=p+q&filter[name]=bob&filter[age]=3&when=2024-01-02T03:04:05Z&n=7"
            let response = try await client.execute(
                uri: uri, method: .get, headers: [.init("x-count")!: "4", .cookie: "a=1; session=abc%20d"])
            #expect(response.status == .ok)
            let json = try response.json
            #expect(json["id"] == "1b4e28ba-2fa1-11d2-883f-0016d3cca427")
            #expect(json["n"] == 7, "the last of a repeated parameter wins")
            #expect(json["flag"] == true)
            #expect(json["color"] == "blue green")
            #expect(json["list"] == [1, 2])
            #expect(json["csv"] == ["a", "b"])
            #expect(json["pipes"] == ["x", "y"])
            #expect(json["spaces"] == ["p", "q"])
            #expect(json["filter"]?["name"] == "bob")
            #expect(json["when"] == "2024-01-02T03:04:05Z")
            #expect(json["header"] == 4)
            #expect(json["cookie"] == "abc d")
            #expect(json["labels"] == [1, 2, 3])
            #expect(json["ratio"] == 0.5)
        }
    }

    @Test func everyBadParameterIsReported() async throws {
        try await makeApp().test(.router) { client in
            let response = try await client.execute(
                uri: "/things/notauuid/.1.x?n=-1&flag=maybe&color=blue&list=1&list=x&when=yesterday",
                method: .get,
                headers: [.init("x-count")!: "q"]
            )
            #expect(response.status == .unprocessableContent)
            let detail = try #require(try response.json["detail"]?.arrayValue)
            #expect(
                detail.map { $0["loc"] } == [
                    ["path", "id"], ["query", "n"], ["query", "flag"], ["query", "color"], ["query", "list", 1], ["query", "when"],
                    ["header", "x-count"],
                    ["path", "labels", 1],
                ])
            #expect(
                detail.map { $0["type"] } == [
                    "uuid_parsing", "greater_than_equal", "bool_parsing", "enum", "int_parsing", "datetime_from_date_parsing",
                    "int_parsing", "int_parsing",
                ])
            #expect(detail[1]["input"] == "-1")
            #expect(detail[3]["msg"] == "Input should be 'red', 'green' or 'blue green'")
            #expect(detail[4]["input"] == "x")
        }
    }

    @Test func missingRequiredQuery() async throws {
        try await makeApp().test(.router) { client in
            let response = try await client.execute(uri: "/things/1b4e28ba-2fa1-11d2-883f-0016d3cca427/.1", method: .get)
            #expect(response.text == #"{"detail":[{"type":"missing","loc":["query","n"],"msg":"Field required","input":null}]}"#)
        }
    }

    @Test func urlEncodedPairs() {
        let pairs = URLEncodedPairs.parse("a=1&b=x+y%21&c&a=2&d=%zz&e=%C3%A9&=v")
        #expect(pairs.all("a") == ["1", "2"])
        #expect(pairs.last("a") == "2")
        #expect(pairs.last("b") == "x y!")
        #expect(pairs.last("c") == "")
        #expect(pairs.last("d") == "%zz")
        #expect(pairs.last("e") == "é")
        #expect(URLEncodedPairs.parse("a=&b=1", dropEmptyValues: true).pairs.map(\.name) == ["b"])
    }

    @Test func multipart() throws {
        let body =
            "preamble\r\n--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHello\r\n"
            + "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nline1\r\nline2\r\n--B--\r\n"
        let form = try MultipartForm.parse(ByteBuffer(string: body), boundary: "B")
        #expect(form.parts.count == 2)
        #expect(form.part(named: "title")?.text == "Hello")
        let file = try #require(form.files(named: "file").first)
        #expect(file.filename == "a.txt")
        #expect(file.contentType == "text/plain")
        #expect(file.text == "line1\r\nline2")
        #expect(form.fields == ["title": "Hello"] as JSONObject)
        #expect(throws: MultipartForm.ParseError.self) { try MultipartForm.parse(ByteBuffer(string: "--B\r\nno end"), boundary: "B") }
    }

    @Test func contentTypes() {
        #expect(ContentType("application/json; charset=utf-8")?.isJSON == true)
        #expect(ContentType("Application/Problem+JSON")?.isJSON == true)
        #expect(ContentType("text/plain")?.isJSON == false)
        #expect(ContentType(#"multipart/form-data; boundary="a b""#)?.parameters["boundary"] == "a b")
    }
}
