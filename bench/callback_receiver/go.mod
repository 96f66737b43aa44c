module corphub.local/callback-receiver

go 1.19

require github.com/xen0n/go-workwx v1.7.0

require github.com/cenkalti/backoff/v4 v4.1.3 // indirect
