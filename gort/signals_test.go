// SPDX-License-Identifier: Apache-2.0

// Tests of the signal bookkeeping: which exit signals the program asked for
// itself, from the sequences the woven os/signal reports (Notify,
// NotifyContext's Notify then Stop, Stop, Ignore, Reset); and, in a child
// process, that an unhandled SIGTERM flushes and then ends the program by the
// same signal, while a handled one is left to the program.

package rt

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"goinstr.dev/rt/internal/tracer"
)

// freshSignals empties the bookkeeping for the test and restores it after.
func freshSignals(t *testing.T) {
	u := &userSignals
	u.Lock()
	oldC, oldI := u.channels, u.ignored
	u.channels, u.ignored = nil, nil
	u.Unlock()
	t.Cleanup(func() {
		u.Lock()
		u.channels, u.ignored = oldC, oldI
		u.Unlock()
	})
}

var (
	term = os.Signal(syscall.SIGTERM)
	intr = os.Signal(syscall.SIGINT)
	hup  = os.Signal(syscall.SIGHUP)
)

// step is one call the woven os/signal reports.
type step struct {
	op   int
	c    int // which channel: 0 nil, 1..3
	sigs []os.Signal
}

func TestProgramHandlesSignals(t *testing.T) {
	cases := []struct {
		name       string
		steps      []step
		term, intr bool // programHandles after the steps
	}{
		{"nothing asked", nil, false, false},
		{"Notify SIGTERM", []step{{sigNotify, 1, []os.Signal{term}}}, true, false},
		{"Notify every signal", []step{{sigNotify, 1, nil}}, true, true},
		{"every signal stays every signal", []step{{sigNotify, 1, nil}, {sigNotify, 1, []os.Signal{intr}}}, true, true},
		{"Notify twice adds", []step{{sigNotify, 1, []os.Signal{intr}}, {sigNotify, 1, []os.Signal{term}}}, true, true},
		{"other signals only", []step{{sigNotify, 1, []os.Signal{hup}}}, false, false},
		{"NotifyContext, then its stop", []step{{sigNotify, 1, []os.Signal{term, intr}}, {sigStop, 1, nil}}, false, false},
		{"two channels, one stopped", []step{{sigNotify, 1, []os.Signal{term}}, {sigNotify, 2, []os.Signal{term}},
			{sigStop, 1, nil}}, true, false},
		{"two channels, both stopped", []step{{sigNotify, 1, []os.Signal{term}}, {sigNotify, 2, []os.Signal{term}},
			{sigStop, 1, nil}, {sigStop, 2, nil}}, false, false},
		{"Stop of an unknown channel", []step{{sigNotify, 1, []os.Signal{term}}, {sigStop, 3, nil}}, true, false},
		{"a nil channel is not the program's", []step{{sigNotify, 0, []os.Signal{term}}}, false, false},
		{"Ignore SIGTERM", []step{{sigIgnore, 0, []os.Signal{term}}}, true, false},
		{"Ignore everything", []step{{sigIgnore, 0, nil}}, true, true},
		{"Ignore takes the signal from the channels", []step{{sigNotify, 1, []os.Signal{term, intr}},
			{sigIgnore, 0, []os.Signal{intr}}, {sigReset, 0, []os.Signal{intr}}}, true, false},
		{"Ignore of another signal", []step{{sigNotify, 1, []os.Signal{hup, term}}, {sigIgnore, 0, []os.Signal{hup}}},
			true, false},
		{"Notify after Ignore, then Stop", []step{{sigIgnore, 0, []os.Signal{term}}, {sigNotify, 1, []os.Signal{term}},
			{sigStop, 1, nil}}, false, false},
		{"Reset SIGTERM", []step{{sigNotify, 1, []os.Signal{term, intr}}, {sigReset, 0, []os.Signal{term}}}, false, true},
		{"Reset everything", []step{{sigNotify, 1, []os.Signal{term}}, {sigNotify, 2, nil},
			{sigIgnore, 0, []os.Signal{intr}}, {sigReset, 0, nil}}, false, false},
		{"Reset after Ignore", []step{{sigIgnore, 0, nil}, {sigReset, 0, []os.Signal{term}}}, false, true},
		{"the last signal ignored empties the channel", []step{{sigNotify, 1, []os.Signal{term}},
			{sigIgnore, 0, []os.Signal{term}}, {sigReset, 0, []os.Signal{term}}, {sigNotify, 1, []os.Signal{intr}}},
			false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			freshSignals(t)
			chans := []chan os.Signal{nil, make(chan os.Signal, 1), make(chan os.Signal, 1), make(chan os.Signal, 1)}
			for _, s := range c.steps {
				var ch chan<- os.Signal
				if chans[s.c] != nil {
					ch = chans[s.c]
				}
				signalHook(s.op, ch, s.sigs)
			}
			if got := programHandles(term); got != c.term {
				t.Errorf("programHandles(SIGTERM) = %v, want %v", got, c.term)
			}
			if got := programHandles(intr); got != c.intr {
				t.Errorf("programHandles(SIGINT) = %v, want %v", got, c.intr)
			}
		})
	}
}

func TestSignalHookIgnoresGoinstrsOwnChannel(t *testing.T) {
	freshSignals(t)
	old := ourSignals
	ourSignals = make(chan os.Signal, 2)
	defer func() { ourSignals = old }()
	signalHook(sigNotify, ourSignals, []os.Signal{term})
	if programHandles(term) {
		t.Error("goinstr's own Notify taken for the program's")
	}
}

const signalChildEnv = "GOINSTR_TEST_SIGNAL_CHILD"

// signalChild is the child process: spans go to the file named by the
// environment, goinstr watches the exit signals, and the process sends
// itself SIGTERM, first registering a handler of its own when asked.
func signalChild(t *testing.T, mode, output string) {
	f, err := os.OpenFile(output, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	proc := tracer.NewProcessor(tracer.BatchConfig{ScheduleDelay: time.Hour},
		[]tracer.Exporter{&jsonLinesExporter{f: f}}, nil, nil)
	UseTracerForTests(tracer.New(tracer.AlwaysOn(), proc, nil))
	watchSignals()
	var mine chan os.Signal
	if mode == "handled" {
		// signal.Notify, and what the woven os/signal reports for it.
		mine = make(chan os.Signal, 1)
		signal.Notify(mine, syscall.SIGTERM)
		signalHook(sigNotify, mine, []os.Signal{term})
	}
	_, s := StartFunc(context.Background(), "main.beforeSIGTERM")
	s.End(nil)
	_ = syscall.Kill(syscall.Getpid(), syscall.SIGTERM)
	if mine != nil {
		<-mine
		return // the program's own handling: goinstr did nothing, the test passes
	}
	time.Sleep(time.Minute) // goinstr flushes and re-raises meanwhile
	t.Fatal("still alive a minute after SIGTERM")
}

func TestSIGTERMInAChildProcess(t *testing.T) {
	if mode := os.Getenv(signalChildEnv); mode != "" {
		signalChild(t, mode, os.Getenv(signalChildEnv+"_OUTPUT"))
		return
	}
	for _, mode := range []string{"unhandled", "handled"} {
		t.Run(mode, func(t *testing.T) {
			output := filepath.Join(t.TempDir(), "spans.jsonl")
			if err := os.WriteFile(output, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSIGTERMInAChildProcess$", "-test.count=1")
			cmd.Env = append(os.Environ(), signalChildEnv+"="+mode, signalChildEnv+"_OUTPUT="+output)
			out, err := cmd.CombinedOutput()
			ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
			spans, _ := os.ReadFile(output)
			flushed := strings.Contains(string(spans), "main.beforeSIGTERM")
			switch mode {
			case "unhandled":
				if !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
					t.Errorf("the child did not die by SIGTERM: %v\n%s", err, out)
				}
				if !flushed {
					t.Errorf("the span was not flushed before dying; output file: %q", spans)
				}
			case "handled":
				if err != nil || ws.Signaled() {
					t.Errorf("a program that handles SIGTERM must be left alone: %v\n%s", err, out)
				}
				if flushed {
					t.Error("goinstr flushed on a signal the program handles")
				}
			}
		})
	}
}

// programHandles reports whether the program asks for s now.
func programHandles(s os.Signal) bool {
	userSignals.Lock()
	defer userSignals.Unlock()
	return handlesLocked(s)
}
