import { describe, expect, it } from "vitest";
import { ConfigFileError, ConfigReader } from "./config-file.ts";

const reader = (): ConfigReader => new ConfigReader("x.json", (path, message, options) => new ConfigFileError(path, message, options));

describe("ConfigReader", () => {
  it("names the line and column of a JSON syntax error", () => {
    expect(() => reader().parseObject('{\n  "realm": "r1",\n  "port": 8889,\n}')).toThrow(
      "x.json: not valid JSON at line 4, column 1: Expected double-quoted property name",
    );
    expect(() => reader().parseObject('{\n "a": 1\n "b": 2\n}')).toThrow(
      "x.json: not valid JSON at line 3, column 2: Expected ',' or '}' after property value",
    );
    expect(() => reader().parseObject("")).toThrow("x.json: not valid JSON (the file is empty)");
    // V8 names no position for a bad literal: the reader finds it.
    expect(() => reader().parseObject('{\n  "tls": tru\n}')).toThrow("x.json: not valid JSON at line 2, column 13: Unexpected token '\\n'");
  });

  it("refuses keys the format does not have", () => {
    const read = reader();
    const obj = read.parseObject('{"realm": "r1", "prot": 1}');
    expect(() => read.only(obj, ["realm", "port"], "the file")).toThrow("x.json: unknown key 'prot' in the file (known: realm, port)");
    expect(() => read.only({ realm: "r1" }, ["realm", "port"], "the file")).not.toThrow();
  });
});
