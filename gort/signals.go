// SPDX-License-Identifier: Apache-2.0

// No span lost to SIGTERM or SIGINT. By default those signals end a Go program
// at once, and the spans still queued with it. goinstr listens for them too;
// when one arrives and the program has not asked for it itself (signal.Notify,
// NotifyContext, Ignore: the woven os/signal tells us), goinstr flushes, then
// restores the default action and raises the same signal again, so the
// program dies as it would have, with the same status, and its supervisor sees
// no difference. A second signal during the flush ends it at once. A program
// that handles the signal is left alone: its handler runs as before, and
// returning from main flushes. A signal that was ignored when the program
// started (nohup, a background job) stays ignored.

package rt

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

var exitSignals = []os.Signal{syscall.SIGTERM, syscall.SIGINT}

// Operations reported by the woven os/signal (goinstrSignalHook).
const (
	sigNotify    = 0
	sigStop      = 1
	sigIgnore    = 2
	sigReset     = 3
	sigDelivered = 4 // os/signal's process(sig): a signal arrives, before any channel has it
)

// maxPendingDecisions bounds the decisions kept for signals goinstr has not
// received yet (its channel holds as many).
const maxPendingDecisions = 8

var userSignals struct {
	sync.Mutex
	channels map[chan<- os.Signal][]os.Signal // nil slice: every signal
	ignored  map[os.Signal]bool
	// decisions: for each exit signal delivered and not yet received by
	// waitForSignal, whether the program handled it when it arrived. Deciding
	// at delivery matters: a program's handler often calls Stop (a deferred
	// NotifyContext stop) before goinstr's goroutine gets to look.
	decisions []bool
}

var ourSignals chan os.Signal

// watchSignals starts listening; it runs before the hook is installed, so our
// own Notify is not taken for the program's.
func watchSignals() {
	var sigs []os.Signal
	for _, s := range exitSignals {
		if !signal.Ignored(s) {
			sigs = append(sigs, s)
		}
	}
	if len(sigs) == 0 {
		return
	}
	ourSignals = make(chan os.Signal, maxPendingDecisions)
	signal.Notify(ourSignals, sigs...)
	go waitForSignal()
}

// signalHook records what the program asks of os/signal.
func signalHook(op int, c chan<- os.Signal, sigs []os.Signal) {
	if c != nil && c == chan<- os.Signal(ourSignals) {
		return
	}
	u := &userSignals
	u.Lock()
	defer u.Unlock()
	if u.channels == nil {
		u.channels = make(map[chan<- os.Signal][]os.Signal)
		u.ignored = make(map[os.Signal]bool)
	}
	switch op {
	case sigDelivered:
		if len(sigs) == 1 && contains(exitSignals, sigs[0]) && ourSignals != nil &&
			len(u.decisions) < maxPendingDecisions {
			u.decisions = append(u.decisions, handlesLocked(sigs[0]))
		}
	case sigNotify:
		if c == nil {
			return
		}
		old, seen := u.channels[c]
		if len(sigs) == 0 || (seen && old == nil) {
			u.channels[c] = nil
		} else {
			u.channels[c] = append(old, sigs...)
		}
		for _, s := range sigs {
			delete(u.ignored, s)
		}
	case sigStop:
		delete(u.channels, c)
	case sigIgnore, sigReset:
		// Reset also takes the signal from goinstr (os/signal resets every
		// channel): the default action then ends the program without a flush.
		all := len(sigs) == 0
		for ch, list := range u.channels {
			u.channels[ch] = without(list, sigs, all)
			if u.channels[ch] != nil && len(u.channels[ch]) == 0 {
				delete(u.channels, ch)
			}
		}
		if op == sigIgnore {
			for _, s := range exitSignals {
				if all || contains(sigs, s) {
					u.ignored[s] = true
				}
			}
		} else {
			for _, s := range exitSignals {
				if all || contains(sigs, s) {
					delete(u.ignored, s)
				}
			}
		}
	}
}

func without(list, remove []os.Signal, all bool) []os.Signal {
	if all {
		return []os.Signal{}
	}
	if list == nil { // every signal but the removed ones: keep it simple, still "every"
		return nil
	}
	out := []os.Signal{}
	for _, s := range list {
		if !contains(remove, s) {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []os.Signal, s os.Signal) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// programHandled reports whether the program asked for s itself when it was
// delivered (or, without a recorded decision, now).
func programHandled(s os.Signal) bool {
	u := &userSignals
	u.Lock()
	defer u.Unlock()
	if len(u.decisions) > 0 {
		d := u.decisions[0]
		u.decisions = u.decisions[1:]
		return d
	}
	return handlesLocked(s)
}

func handlesLocked(s os.Signal) bool {
	u := &userSignals
	if u.ignored[s] {
		return true
	}
	for _, list := range u.channels {
		if list == nil || contains(list, s) {
			return true
		}
	}
	return false
}

func waitForSignal() {
	for s := range ourSignals {
		if programHandled(s) {
			continue
		}
		done := make(chan struct{})
		go func() { Flush(); close(done) }()
		select {
		case <-done:
		case <-ourSignals: // a second signal: no more waiting
		case <-time.After(flushTimeout + time.Second):
		}
		signal.Reset(exitSignals...)
		if sig, ok := s.(syscall.Signal); ok {
			_ = syscall.Kill(syscall.Getpid(), sig)
			time.Sleep(time.Second) // the signal is delivered meanwhile
			os.Exit(128 + int(sig))
		}
		os.Exit(1)
	}
}
