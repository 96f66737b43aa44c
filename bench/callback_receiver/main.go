// A callback receiver for bench/callback_bench.py: go-workwx's own handler (which checks each
// delivery's signature and decrypts it) behind a counter of distinct X-Corphub-Event-Id values.
// It refuses deliveries (HTTP 503) until GET /open, so the benchmark can fill the queue first;
// GET /count answers {"events": distinct, "posts": all}.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"

	"github.com/xen0n/go-workwx"
)

type counter struct{ n atomic.Int64 }

func (c *counter) OnIncomingMessage(*workwx.RxMessage) error {
	c.n.Add(1)
	return nil
}

func main() {
	token := flag.String("token", "", "the callback Token")
	key := flag.String("key", "", "the EncodingAESKey")
	portFile := flag.String("port-file", "", "write the port here")
	flag.Parse()
	decrypted := &counter{}
	handler, err := workwx.NewHTTPHandler(*token, *key, decrypted)
	if err != nil {
		log.Fatal(err)
	}
	var open atomic.Bool
	var posts atomic.Int64
	var mu sync.Mutex
	seen := map[string]bool{}
	mux := http.NewServeMux()
	mux.HandleFunc("/cb", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts.Add(1)
			if !open.Load() {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			mu.Lock()
			seen[r.Header.Get("X-Corphub-Event-Id")] = true
			mu.Unlock()
		}
		handler.ServeHTTP(w, r)
	})
	mux.HandleFunc("/open", func(w http.ResponseWriter, r *http.Request) { open.Store(true) })
	mux.HandleFunc("/count", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n := len(seen)
		mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]int64{"events": int64(n), "posts": posts.Load(),
			"decrypted": decrypted.n.Load()})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	if *portFile != "" {
		port := ln.Addr().(*net.TCPAddr).Port
		if err := os.WriteFile(*portFile, []byte(fmt.Sprint(port)), 0o600); err != nil {
			log.Fatal(err)
		}
	}
	log.Fatal(http.Serve(ln, mux))
}
