module goinstr.dev/tools/offsets/std

go 1.19
