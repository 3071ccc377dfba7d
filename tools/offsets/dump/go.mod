module goinstr.dev/tools/offsets/dump

go 1.19
