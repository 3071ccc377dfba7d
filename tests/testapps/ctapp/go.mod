module goinstr.dev/ctapp

go 1.22
