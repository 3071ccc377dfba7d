// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"io"
	"time"

	"google.golang.org/grpc/codes"
	hw "google.golang.org/grpc/examples/helloworld/helloworld"
	rg "google.golang.org/grpc/examples/route_guide/routeguide"
	"google.golang.org/grpc/status"
)

type greeter struct {
	hw.UnimplementedGreeterServer
}

func (greeter) SayHello(_ context.Context, in *hw.HelloRequest) (*hw.HelloReply, error) {
	if in.GetName() == "fail" {
		return nil, status.Error(codes.PermissionDenied, "no greeting for you")
	}
	return &hw.HelloReply{Message: "Hello " + in.GetName()}, nil
}

// features are the only named places this route guide knows (coordinates in the proto's E7
// units, kept small so scripts can name them: feature:1:1).
var features = []*rg.Feature{
	{Name: "one-one", Location: &rg.Point{Latitude: 1, Longitude: 1}},
	{Name: "two-five", Location: &rg.Point{Latitude: 2, Longitude: 5}},
	{Name: "minus-three-seven", Location: &rg.Point{Latitude: -3, Longitude: 7}},
}

func featureAt(p *rg.Point) *rg.Feature {
	for _, f := range features {
		if f.Location.Latitude == p.GetLatitude() && f.Location.Longitude == p.GetLongitude() {
			return f
		}
	}
	return nil
}

type routeGuide struct {
	rg.UnimplementedRouteGuideServer
}

func (routeGuide) GetFeature(_ context.Context, p *rg.Point) (*rg.Feature, error) {
	if p.GetLatitude() == 0 && p.GetLongitude() == 0 {
		return nil, status.Error(codes.InvalidArgument, "no feature at the origin")
	}
	if f := featureAt(p); f != nil {
		return f, nil
	}
	return &rg.Feature{Location: p}, nil
}

func (routeGuide) ListFeatures(r *rg.Rectangle, stream rg.RouteGuide_ListFeaturesServer) error {
	lo, hi := r.GetLo(), r.GetHi()
	inside := func(v, a, b int32) bool { return min(a, b) <= v && v <= max(a, b) }
	for _, f := range features {
		if inside(f.Location.Latitude, lo.GetLatitude(), hi.GetLatitude()) &&
			inside(f.Location.Longitude, lo.GetLongitude(), hi.GetLongitude()) {
			if err := stream.Send(f); err != nil {
				return err
			}
		}
	}
	return nil
}

func (routeGuide) RecordRoute(stream rg.RouteGuide_RecordRouteServer) error {
	start := time.Now()
	var sum rg.RouteSummary
	for {
		p, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			sum.ElapsedTime = int32(time.Since(start) / time.Second)
			return stream.SendAndClose(&sum)
		}
		if err != nil {
			return err
		}
		sum.PointCount++
		if featureAt(p) != nil {
			sum.FeatureCount++
		}
	}
}

// RouteChat echoes every note once, in order.
func (routeGuide) RouteChat(stream rg.RouteGuide_RouteChatServer) error {
	for {
		note, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.Send(note); err != nil {
			return err
		}
	}
}
