// SPDX-License-Identifier: Apache-2.0

package metrics

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

// parseListenAddress checks addr as prometheus_server.cpp does, with its
// messages: "host:port", "[v6]:port", or ":port" for every IPv4 interface
// (the agent binds 0.0.0.0; Go's ":port" would also take IPv6). It returns
// the network and address for net.Listen.
func parseListenAddress(addr string) (network, hostport string, err error) {
	colon := strings.LastIndexByte(addr, ':')
	if colon < 0 {
		return "", "", fmt.Errorf("'%s': expected host:port or :port", addr)
	}
	host, port := addr[:colon], addr[colon+1:]
	bracketed := len(host) >= 2 && host[0] == '[' && host[len(host)-1] == ']'
	if bracketed {
		host = host[1 : len(host)-1]
	} else if strings.IndexByte(host, ':') >= 0 {
		return "", "", fmt.Errorf("'%s': IPv6 addresses need brackets ([::1]:9464)", addr)
	}
	for i := 0; i < len(host); i++ {
		if c := host[i]; !isAlnum(c) && c != '.' && c != '-' && c != '_' && c != ':' {
			return "", "", fmt.Errorf("'%s': invalid character '%c' in host", addr, c)
		}
	}
	n, perr := strconv.ParseUint(port, 10, 16)
	if perr != nil || port[0] == '+' {
		return "", "", fmt.Errorf("'%s': bad port '%s' (expected 1-65535)", addr, port)
	}
	network = "tcp"
	switch ip := net.ParseIP(host); {
	case host == "":
		host, network = "0.0.0.0", "tcp4"
	case ip != nil && ip.To4() != nil:
		network = "tcp4"
	case ip != nil:
		network = "tcp6"
	}
	return network, net.JoinHostPort(host, strconv.FormatUint(n, 10)), nil
}

// listenError words a failed listen as the agent does: the address as
// given, then the system's reason ("Address already in use").
func listenError(addr string, err error) error {
	reason := err.Error()
	var sys *os.SyscallError
	var op *net.OpError
	if errors.As(err, &sys) {
		reason = sys.Err.Error()
		if reason != "" { // strerror's capital, which Go's errno table lacks
			reason = strings.ToUpper(reason[:1]) + reason[1:]
		}
	} else if errors.As(err, &op) {
		reason = op.Err.Error()
	}
	return fmt.Errorf("cannot listen on %s: %s", addr, reason)
}
