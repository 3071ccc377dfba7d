module goinstr.dev/testapps/httpserver

go 1.19
