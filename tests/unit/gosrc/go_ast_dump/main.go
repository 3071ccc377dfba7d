// SPDX-License-Identifier: Apache-2.0

// go_ast_dump prints go/parser's syntax tree in the format of goinstr's gosrc dump
// (src/gosrc/dump.cpp, one_line, with positions and comments), for the MatchesGoParser test:
// both parsers must produce identical text for the same file. It reads file paths from stdin
// and writes "== path" followed by the dump (or ERROR) for each.
package main

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
)

var (
	fset      = token.NewFileSet()
	file      *token.File // the file being dumped: offsets without computing lines and columns
	comments  = true
	positions = true
	out       *bufio.Writer
)

type sx struct {
	label string
	head  string
	kids  []*sx
	atom  bool
}

func off(p token.Pos) int { return file.Offset(p) }

func at(n ast.Node) string {
	if !positions {
		return ""
	}
	return fmt.Sprintf("@%d-%d", off(n.Pos()), off(n.End()))
}

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		if c == '\n' {
			b.WriteString("\\n")
			continue
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return b.String()
}

func isNil(n ast.Node) bool {
	switch x := n.(type) {
	case nil:
		return true
	case *ast.CommentGroup:
		return x == nil
	case *ast.FieldList:
		return x == nil
	case *ast.Ident:
		return x == nil
	case *ast.BlockStmt:
		return x == nil
	case *ast.BasicLit:
		return x == nil
	case *ast.FuncType:
		return x == nil
	case *ast.CallExpr:
		return x == nil
	case *ast.GenDecl:
		return x == nil
	}
	return false
}

type b struct{ s *sx }

func (w b) word(s string) { w.s.kids = append(w.s.kids, &sx{head: s, atom: true}) }
func (w b) kid(n ast.Node, label string) {
	if isNil(n) {
		return
	}
	if _, ok := n.(*ast.CommentGroup); ok && !comments {
		return
	}
	k := build(n)
	if label != "" {
		k.label = label + "="
	}
	w.s.kids = append(w.s.kids, k)
}
func (w b) k(n ast.Node) { w.kid(n, "") }
func (w b) exprs(l []ast.Expr) {
	for _, e := range l {
		w.k(e)
	}
}
func (w b) stmts(l []ast.Stmt) {
	for _, e := range l {
		w.k(e)
	}
}
func (w b) group(name string, l []ast.Node, always bool) {
	if len(l) == 0 && !always {
		return
	}
	g := &sx{head: name}
	for _, n := range l {
		b{g}.k(n)
	}
	w.s.kids = append(w.s.kids, g)
}
func exprNodes(l []ast.Expr) []ast.Node {
	var r []ast.Node
	for _, e := range l {
		r = append(r, e)
	}
	return r
}
func identNodes(l []*ast.Ident) []ast.Node {
	var r []ast.Node
	for _, e := range l {
		r = append(r, e)
	}
	return r
}
func (w b) fields(fl *ast.FieldList) {
	if fl == nil {
		return
	}
	for _, f := range fl.List {
		w.k(f)
	}
}

func chanDir(d ast.ChanDir) string {
	switch d {
	case ast.SEND:
		return "chan<-"
	case ast.RECV:
		return "<-chan"
	}
	return "chan"
}

func build(n ast.Node) *sx {
	switch x := n.(type) {
	case *ast.Ident:
		return &sx{head: x.Name + at(n), atom: true}
	case *ast.BasicLit:
		return &sx{head: x.Value + at(n), atom: true}
	case *ast.Comment:
		return &sx{head: quote(x.Text) + at(n), atom: true}
	}
	name := fmt.Sprintf("%T", n)[5:]
	if name == "IndexListExpr" {
		name = "IndexExpr"
	}
	s := &sx{head: name + at(n)}
	w := b{s}
	switch x := n.(type) {
	case *ast.Ellipsis:
		w.k(x.Elt)
	case *ast.FuncLit:
		w.k(x.Type)
		w.k(x.Body)
	case *ast.CompositeLit:
		w.kid(x.Type, "type")
		w.exprs(x.Elts)
	case *ast.ParenExpr:
		w.k(x.X)
	case *ast.SelectorExpr:
		w.k(x.X)
		w.k(x.Sel)
	case *ast.IndexExpr:
		w.k(x.X)
		w.k(x.Index)
	case *ast.IndexListExpr:
		w.k(x.X)
		w.exprs(x.Indices)
	case *ast.SliceExpr:
		w.k(x.X)
		w.kid(x.Low, "low")
		w.kid(x.High, "high")
		w.kid(x.Max, "max")
	case *ast.TypeAssertExpr:
		w.k(x.X)
		if x.Type != nil {
			w.k(x.Type)
		} else {
			w.word("type")
		}
	case *ast.CallExpr:
		w.k(x.Fun)
		w.exprs(x.Args)
		if x.Ellipsis.IsValid() {
			w.word("...")
		}
	case *ast.StarExpr:
		w.k(x.X)
	case *ast.UnaryExpr:
		w.word(x.Op.String())
		w.k(x.X)
	case *ast.BinaryExpr:
		w.word(x.Op.String())
		w.k(x.X)
		w.k(x.Y)
	case *ast.KeyValueExpr:
		w.k(x.Key)
		w.k(x.Value)
	case *ast.ArrayType:
		w.kid(x.Len, "len")
		w.k(x.Elt)
	case *ast.StructType:
		w.fields(x.Fields)
	case *ast.FuncType:
		w.kid(x.TypeParams, "tparams")
		w.k(x.Params)
		w.kid(x.Results, "results")
	case *ast.InterfaceType:
		w.fields(x.Methods)
	case *ast.MapType:
		w.k(x.Key)
		w.k(x.Value)
	case *ast.ChanType:
		w.word(chanDir(x.Dir))
		w.k(x.Value)
	case *ast.DeclStmt:
		w.k(x.Decl)
	case *ast.EmptyStmt:
		if x.Implicit {
			w.word("implicit")
		}
	case *ast.LabeledStmt:
		w.k(x.Label)
		w.k(x.Stmt)
	case *ast.ExprStmt:
		w.k(x.X)
	case *ast.SendStmt:
		w.k(x.Chan)
		w.k(x.Value)
	case *ast.IncDecStmt:
		w.word(x.Tok.String())
		w.k(x.X)
	case *ast.AssignStmt:
		w.word(x.Tok.String())
		w.group("lhs", exprNodes(x.Lhs), true)
		w.group("rhs", exprNodes(x.Rhs), true)
	case *ast.GoStmt:
		w.k(x.Call)
	case *ast.DeferStmt:
		w.k(x.Call)
	case *ast.ReturnStmt:
		w.exprs(x.Results)
	case *ast.BranchStmt:
		w.word(x.Tok.String())
		w.k(x.Label)
	case *ast.BlockStmt:
		w.stmts(x.List)
	case *ast.IfStmt:
		w.kid(x.Init, "init")
		w.k(x.Cond)
		w.k(x.Body)
		w.kid(x.Else, "else")
	case *ast.CaseClause:
		if x.List == nil {
			w.word("default")
		} else {
			w.group("list", exprNodes(x.List), true)
		}
		w.stmts(x.Body)
	case *ast.SwitchStmt:
		w.kid(x.Init, "init")
		w.kid(x.Tag, "tag")
		w.k(x.Body)
	case *ast.TypeSwitchStmt:
		w.kid(x.Init, "init")
		w.k(x.Assign)
		w.k(x.Body)
	case *ast.CommClause:
		if x.Comm == nil {
			w.word("default")
		} else {
			w.k(x.Comm)
		}
		w.stmts(x.Body)
	case *ast.SelectStmt:
		w.k(x.Body)
	case *ast.ForStmt:
		w.kid(x.Init, "init")
		w.kid(x.Cond, "cond")
		w.kid(x.Post, "post")
		w.k(x.Body)
	case *ast.RangeStmt:
		if x.Tok != token.ILLEGAL {
			w.word(x.Tok.String())
		}
		w.kid(x.Key, "key")
		w.kid(x.Value, "value")
		w.k(x.X)
		w.k(x.Body)
	case *ast.ImportSpec:
		w.kid(x.Doc, "doc")
		w.kid(x.Name, "name")
		w.k(x.Path)
		w.kid(x.Comment, "comment")
	case *ast.ValueSpec:
		w.kid(x.Doc, "doc")
		w.group("names", identNodes(x.Names), false)
		w.kid(x.Type, "type")
		w.group("values", exprNodes(x.Values), false)
		w.kid(x.Comment, "comment")
	case *ast.TypeSpec:
		w.kid(x.Doc, "doc")
		w.k(x.Name)
		w.kid(x.TypeParams, "tparams")
		if x.Assign.IsValid() {
			w.word("=")
		}
		w.k(x.Type)
		w.kid(x.Comment, "comment")
	case *ast.GenDecl:
		w.word(x.Tok.String())
		w.kid(x.Doc, "doc")
		for _, sp := range x.Specs {
			w.k(sp)
		}
	case *ast.FuncDecl:
		w.kid(x.Doc, "doc")
		w.kid(x.Recv, "recv")
		w.k(x.Name)
		w.k(x.Type)
		w.k(x.Body)
	case *ast.Field:
		w.kid(x.Doc, "doc")
		w.group("names", identNodes(x.Names), false)
		w.k(x.Type)
		w.kid(x.Tag, "tag")
		w.kid(x.Comment, "comment")
	case *ast.FieldList:
		w.fields(x)
	case *ast.CommentGroup:
		for _, c := range x.List {
			w.k(c)
		}
	default:
		panic(fmt.Sprintf("unhandled %T", n))
	}
	return s
}

func render(s *sx) {
	out.WriteString(s.label)
	if s.atom {
		out.WriteString(s.head)
		return
	}
	out.WriteString("(" + s.head)
	for _, k := range s.kids {
		out.WriteByte(' ')
		render(k)
	}
	out.WriteByte(')')
}

func main() {
	out = bufio.NewWriter(os.Stdout)
	defer out.Flush()
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		path := sc.Text()
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		fmt.Fprintf(out, "== %s\n", path)
		if err != nil {
			fmt.Fprintf(out, "ERROR\n")
			continue
		}
		file = fset.File(f.Pos())
		root := &sx{head: "File"}
		if comments && f.Doc != nil {
			k := build(f.Doc)
			k.label = "doc="
			root.kids = append(root.kids, k)
		}
		root.kids = append(root.kids, build(f.Name))
		for _, d := range f.Decls {
			root.kids = append(root.kids, build(d))
		}
		render(root)
		out.WriteByte('\n')
	}
}
