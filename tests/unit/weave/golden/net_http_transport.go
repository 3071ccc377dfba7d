// weave: net/http
// A blank result is renamed so the deferred end hook can read it; the other stays `err`.
package http

func (t *Transport) roundTrip(req *Request) (_ *Response, err error) {
	if req.URL == nil {
		return nil, errNilURL
	}
	return t.send(req)
}

func (t *Transport) RoundTrip(req *Request) (*Response, error) { return t.roundTrip(req) }
