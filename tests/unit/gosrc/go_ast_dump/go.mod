module goinstr.dev/go_ast_dump

go 1.21
