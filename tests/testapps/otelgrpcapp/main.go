// SPDX-License-Identifier: Apache-2.0

// Command otelgrpcapp is a gRPC service that already uses otelgrpc, server and client side (its
// stats handlers, the current API): goinstr's compile-time mode must give one span per RPC on
// each side, not two. It serves grpc's own health service and, with -calls N, checks itself N
// times over a connection that also carries otelgrpc's client handler, then exits.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func main() {
	calls := flag.Int("calls", 3, "health checks to send to itself")
	flag.Parse()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	s := grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler()))
	healthpb.RegisterHealthServer(s, health.NewServer())
	go s.Serve(lis)
	defer s.Stop()

	conn, err := grpc.NewClient(lis.Addr().String(),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithStatsHandler(otelgrpc.NewClientHandler()))
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	client := healthpb.NewHealthClient(conn)
	for i := 0; i < *calls; i++ {
		if _, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{}); err != nil {
			fmt.Fprintln(os.Stderr, "check:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("%d checks ok\n", *calls)
}
