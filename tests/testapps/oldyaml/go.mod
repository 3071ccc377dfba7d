module goinstr.dev/oldyaml

go 1.22

require gopkg.in/yaml.v3 v3.0.0-20200313102051-9f266ea9e77c
