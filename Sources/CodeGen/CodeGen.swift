// The API model and the emitters land here.
import OpenAPI
