/// The HTML of the documentation pages, the same pages FastAPI serves (Swagger UI at `/docs`,
/// its OAuth2 redirect page, ReDoc at `/redoc`), built once at start-up.
enum DocsPages {
    static func swaggerUI(title: String, openAPIURL: String, scriptURL: String, cssURL: String, oauthClientID: String) -> String {
        // `persistAuthorization` keeps the token in local storage across reloads; `initOAuth`
        // names the app in the password-flow dialog. Swagger UI sends Try it out and the OAuth2
        // token request (a relative `tokenUrl`) to the selected server, the spec's first by
        // default: when the spec lists servers but not the origin serving this page (another
        // port or host name, a proxy), `thisServerFirst` puts that origin first, so the page
        // talks to the API that serves it and the spec's servers stay selectable below it.
        let initOAuth: JSONValue = ["clientId": .string(oauthClientID), "appName": .string(title)]
        return """
            <!DOCTYPE html>
            <html>
            <head>
            <meta charset="utf-8">
            <link type="text/css" rel="stylesheet" href="\(html(cssURL))">
            <title>\(html(title)) - Swagger UI</title>
            </head>
            <body>
            <div id="swagger-ui">
            </div>
            <script src="\(html(scriptURL))"></script>
            <script>
            const thisServerFirst = () => ({
                statePlugins: { spec: { wrapActions: { updateJsonSpec: (original) => (json, ...rest) => {
                    const servers = json && Array.isArray(json.servers) ? json.servers : []
                    const here = window.location.origin
                    const listed = servers.some((server) => {
                        try { return new URL(server.url, window.location.href).origin === here } catch (e) { return false }
                    })
                    if (servers.length > 0 && !listed) {
                        const first = { url: here, description: "This server (the one serving these docs)" }
                        json = Object.assign({}, json, { servers: [first].concat(servers) })
                    }
                    return original(json, ...rest)
                } } } },
            })
            const ui = SwaggerUIBundle({
                url: \(script(.string(openAPIURL))),
                dom_id: "#swagger-ui",
                layout: "BaseLayout",
                deepLinking: true,
                showExtensions: true,
                showCommonExtensions: true,
                persistAuthorization: true,
                oauth2RedirectUrl: window.location.origin + \(script("/docs/oauth2-redirect")),
                presets: [
                    SwaggerUIBundle.presets.apis,
                    SwaggerUIBundle.SwaggerUIStandalonePreset
                ],
                plugins: [thisServerFirst],
            })
            ui.initOAuth(\(script(initOAuth)))
            </script>
            </body>
            </html>
            """
    }

    static func redoc(title: String, openAPIURL: String, scriptURL: String) -> String {
        """
        <!DOCTYPE html>
        <html>
        <head>
        <title>\(html(title)) - ReDoc</title>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>
        body { margin: 0; padding: 0; }
        </style>
        </head>
        <body>
        <noscript>
        ReDoc requires Javascript to function. Please enable it to browse the documentation.
        </noscript>
        <redoc spec-url="\(html(openAPIURL))"></redoc>
        <script src="\(html(scriptURL))"> </script>
        </body>
        </html>
        """
    }

    /// swagger-ui-dist's `oauth2-redirect.html` (Apache-2.0, SmartBear), which FastAPI also
    /// serves inline: it must come from the API's own origin to reach the opener window.
    static let oauth2Redirect = """
        <!doctype html>
        <html lang="en-US">
        <head>
            <title>Swagger UI: OAuth2 Redirect</title>
        </head>
        <body>
        <script>
            'use strict';
            function run () {
                var oauth2 = window.opener.swaggerUIRedirectOauth2;
                var sentState = oauth2.state;
                var redirectUrl = oauth2.redirectUrl;
                var isValid, qp, arr;

                if (/code|token|error/.test(window.location.hash)) {
                    qp = window.location.hash.substring(1).replace('?', '&');
                } else {
                    qp = location.search.substring(1);
                }

                arr = qp.split("&");
                arr.forEach(function (v,i,_arr) { _arr[i] = '"' + v.replace('=', '":"') + '"';});
                qp = qp ? JSON.parse('{' + arr.join() + '}',
                        function (key, value) {
                            return key === "" ? value : decodeURIComponent(value);
                        }
                ) : {};

                isValid = qp.state === sentState;

                if ((
                  oauth2.auth.schema.get("flow") === "accessCode" ||
                  oauth2.auth.schema.get("flow") === "authorizationCode" ||
                  oauth2.auth.schema.get("flow") === "authorization_code"
                ) && !oauth2.auth.code) {
                    if (!isValid) {
                        oauth2.errCb({
                            authId: oauth2.auth.name,
                            source: "auth",
                            level: "warning",
                            message: "Authorization may be unsafe, passed state was changed in server. The passed state wasn't returned from auth server."
                        });
                    }

                    if (qp.code) {
                        delete oauth2.state;
                        oauth2.auth.code = qp.code;
                        oauth2.callback({auth: oauth2.auth, redirectUrl: redirectUrl});
                    } else {
                        let oauthErrorMsg;
                        if (qp.error) {
                            oauthErrorMsg = "["+qp.error+"]: " +
                                (qp.error_description ? qp.error_description+ ". " : "no accessCode received from the server. ") +
                                (qp.error_uri ? "More info: "+qp.error_uri : "");
                        }

                        oauth2.errCb({
                            authId: oauth2.auth.name,
                            source: "auth",
                            level: "error",
                            message: oauthErrorMsg || "[Authorization failed]: no accessCode received from the server."
                        });
                    }
                } else {
                    oauth2.callback({auth: oauth2.auth, token: qp, isValid: isValid, redirectUrl: redirectUrl});
                }
                window.close();
            }

            if (document.readyState !== 'loading') {
                run();
            } else {
                document.addEventListener('DOMContentLoaded', function () {
                    run();
                });
            }
        </script>
        </body>
        </html>
        """

    /// Text for HTML content and attribute values.
    static func html(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A JSON literal safe inside `<script>`: `<` is escaped so a value cannot close the tag.
    static func script(_ value: JSONValue) -> String {
        value.description.replacingLessThan()
    }
}

extension String {
    fileprivate func replacingLessThan() -> String {
        var result = ""
        for character in self {
            if character == "<" { result += "\\u003c" } else { result.append(character) }
        }
        return result
    }
}
