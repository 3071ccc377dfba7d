package control

func f(xs []int, ch chan int, v any) (n int, err error) {
	if x := (T{}); x.ok {
		n++
	} else if len(xs) > 0 {
		n--
	} else {
		return
	}
	for i := 0; i < 10; i++ {
		continue
	}
	for range 3 {
	}
	for k, v := range seq {
		_, _ = k, v
	}
	for x := range []int{1, 2} {
		_ = x
	}
	switch y := n; {
	case y > 1, y < -1:
		fallthrough
	default:
	}
	switch t := v.(type) {
	case nil, int:
	case []string:
		_ = t
	}
	select {
	case x := <-ch:
		_ = x
	case ch <- 1:
	default:
	}
outer:
	for {
		break outer
	}
	goto done
done:
	defer func() { recover() }()
	go g(xs...)
	return len(xs), nil
}
