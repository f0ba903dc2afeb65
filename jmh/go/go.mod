module weft.dev/jmh/go

go 1.19
