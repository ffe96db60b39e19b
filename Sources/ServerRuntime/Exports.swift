// Generated route code and the services implementing it import ServerRuntime alone: the
// Hummingbird types they name (Router, Request, Response, RequestContext), the header types of
// swift-http-types and the logger come along, and JSON values and their parser (a target of their
// own, which Security's token payloads use too).
@_exported import Hummingbird
@_exported import JSON

@_exported import struct HTTPTypes.HTTPField
@_exported import struct Logging.Logger
