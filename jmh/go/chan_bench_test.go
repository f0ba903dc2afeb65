// The Go twin of ChannelBench (jmh/src/main/java/dev/weft/jmh/ChannelBench.java): the same four
// rows with Go's own channels and goroutines, for a same-machine reference. One op is one element
// handed from a producer goroutine to a consumer goroutine, as in ChannelBench.
//
//	cd jmh/go && go test -run '^$' -bench . -benchtime 2000000x -count 5
package chanbench

import (
	"sync"
	"testing"
)

const capacity = 16

// Buffered, one pair: make(chan int, 16); one producer, one consumer.
func BenchmarkBuffered1Pair(b *testing.B) {
	benchmarkPairs(b, 1)
}

// Buffered, 10 000 pairs, each with a channel of its own.
func BenchmarkBuffered10000Pairs(b *testing.B) {
	benchmarkPairs(b, 10000)
}

func benchmarkPairs(b *testing.B, pairs int) {
	each := b.N / pairs
	if each == 0 {
		each = 1
	}
	var done sync.WaitGroup
	done.Add(pairs)
	b.ResetTimer()
	for p := 0; p < pairs; p++ {
		ch := make(chan int, capacity)
		go func() {
			for i := 0; i < each; i++ {
				ch <- 42
			}
		}()
		go func() {
			for i := 0; i < each; i++ {
				<-ch
			}
			done.Done()
		}()
	}
	done.Wait()
}

// Rendezvous: make(chan int); one producer, one consumer.
func BenchmarkRendezvous(b *testing.B) {
	ch := make(chan int)
	go func() {
		for i := 0; i < b.N; i++ {
			ch <- 42
		}
	}()
	for i := 0; i < b.N; i++ {
		<-ch
	}
}

// Select over two unbuffered channels, each fed by a producer of its own.
func BenchmarkSelect2(b *testing.B) {
	a := make(chan int)
	c := make(chan int)
	half := b.N / 2
	go func() {
		for i := 0; i < half; i++ {
			a <- 42
		}
	}()
	go func() {
		for i := 0; i < b.N-half; i++ {
			c <- 42
		}
	}()
	for i := 0; i < b.N; i++ {
		select {
		case <-a:
		case <-c:
		}
	}
}

// Select over two buffered channels that each already hold an element, on one goroutine: a send to
// each, then two selects, which take both. The cost of a select with a case ready (b.N selects).
func BenchmarkSelect2Ready(b *testing.B) {
	a := make(chan int, 16)
	c := make(chan int, 16)
	for i := 0; i < b.N; i += 2 {
		a <- 42
		c <- 42
		select {
		case <-a:
		case <-c:
		}
		select {
		case <-a:
		case <-c:
		}
	}
}
