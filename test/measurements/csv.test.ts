import { describe, expect, it } from "vitest";
import { CsvError, createCsvParser } from "../../src/measurements";
import { bytes, csvError, NOW, parsePieces, parseText } from "./csv-helpers";

const T = 1_672_531_200; // 2023-01-01T00:00:00Z

describe("CSV parser: accepted input", () => {
  it("parses rows without a header", () => {
    expect(parseText("HEART_RATE", `${T},75,4\n${T + 1},76,3\n`)).toEqual([
      [T, 75, 4],
      [T + 1, 76, 3],
    ]);
  });

  it("skips a header row, also behind a UTF-8 byte order mark", () => {
    const rows = [[T, 800, 4]];
    expect(parseText("HEART_BEAT", `datetime,value,quality_indicator\n${T},800,4\n`)).toEqual(rows);
    expect(parseText("HEART_BEAT", `\uFEFFdatetime,value,quality_indicator\n${T},800,4`)).toEqual(rows);
    expect(parseText("HEART_BEAT", `"timestamp", "rr", "q"\r\n${T},800,4`)).toEqual(rows);
  });

  it("accepts CRLF and LF line endings, blank lines, and a missing final newline", () => {
    const text = `\r\n${T},75,4\r\n\r\n   \n${T + 1},76,4\n\n${T + 2},77,4`;
    expect(parseText("HEART_RATE", text).map((r) => r[1])).toEqual([75, 76, 77]);
  });

  it("reports quality 4 for the graph types, which have no quality column", () => {
    expect(parseText("HEART_RATE_GRAPH", `datetime,value\n${T},75\n${T + 60},76\n`)).toEqual([
      [T, 75, 4],
      [T + 60, 76, 4],
    ]);
    expect(parseText("MOTION_GRAPH", `${T},0.25`)).toEqual([[T, 0.25, 4]]);
  });

  it("parses decimals, negatives, exponents, spaces and quoted fields to the same double as Number()", () => {
    const rows = parseText(
      "TEMPERATURE",
      [
        `${T},36.6,4`,
        `${T + 1},-12.75,4`,
        `${T + 2},3.7e1,4`,
        `${T + 3}, 36.625 , 4`,
        `"${T + 4}","0.1","2"`,
        `${T + 5},.5,4`,
        `${T + 6},7.,4`,
        `${T + 7},36.60000000000000142,4`,
      ].join("\n"),
    );
    expect(rows.map((r) => r[1])).toEqual([36.6, -12.75, 37, 36.625, 0.1, 0.5, 7, Number("36.60000000000000142")]);
    expect(rows[4]?.[2]).toBe(2);
  });

  it("stores -0 as 0 and accepts 75.0 as the integer 75", () => {
    const [zero] = parseText("TEMPERATURE", `${T},-0,4`);
    expect(Object.is(zero?.[1], 0)).toBe(true);
    expect(Object.is(parseText("TEMPERATURE", `${T},-0.0e0,4`)[0]?.[1], 0)).toBe(true);
    expect(parseText("HEART_RATE", `${T},75.0,4`)).toEqual([[T, 75, 4]]);
  });

  it("hands duplicate seconds on to the sink in file order (the accumulator keeps the last)", () => {
    expect(parseText("HEART_RATE", `${T},75,4\n${T},80,2\n`)).toEqual([
      [T, 75, 4],
      [T, 80, 2],
    ]);
  });

  it("accepts the datetime window edges: 2000-01-01 and now + 1 day", () => {
    expect(parseText("HEART_RATE", `946684800,60,4\n${NOW + 86_400},61,4`)).toHaveLength(2);
  });

  it("gives the same rows for every split of the input into two pieces, and byte by byte", () => {
    const text = [
      "datetime,value,quality_indicator\r\n",
      `${T},16.5,4\r\n\r\n`,
      `${T + 1}, 17 ,3\n`,
      `${T + 2},1.5e1,0\n`,
      `${T + 3},-0,4`,
    ].join("");
    const data = bytes(text);
    const expected = parsePieces("RESPIRATION_RATE", [data]);
    expect(expected).toHaveLength(4);
    for (let k = 0; k <= data.length; k++) {
      expect(parsePieces("RESPIRATION_RATE", [data.subarray(0, k), data.subarray(k)]), `split at ${k}`).toEqual(
        expected,
      );
    }
    const single = Array.from(data, (_, i) => data.subarray(i, i + 1));
    expect(parsePieces("RESPIRATION_RATE", single)).toEqual(expected);
  });

  it("reports the same error line for every split of the input", () => {
    const data = bytes(`${T},75,4\r\n\r\n${T + 1},75,4\n${T + 2},75,9\n${T + 3},75,4\n`);
    for (let k = 0; k <= data.length; k++) {
      const error = csvError("HEART_RATE", [data.subarray(0, k), data.subarray(k)]);
      expect(error.line, `split at ${k}`).toBe(4);
    }
  });

  it("refuses a push after end", () => {
    const parser = createCsvParser("HEART_RATE", { add: () => {} }, { now: NOW });
    parser.end();
    expect(() => parser.push(bytes(`${T},75,4\n`))).toThrow(/after end/);
  });
});

describe("CSV parser: errors name the physical line", () => {
  const cases: [string, Parameters<typeof csvError>[0], string, number, RegExp][] = [
    [
      "too few columns",
      "HEART_RATE",
      `${T},75,4\n${T},75\n`,
      2,
      /expected 3 columns \(datetime,value,quality_indicator\), got 2/,
    ],
    ["too many columns", "HEART_RATE_GRAPH", `${T},75,4`, 1, /expected 2 columns \(datetime,value\), got 3/],
    ["header of the wrong width", "HEART_RATE", "datetime,value\n", 1, /header has 2 columns, expected 3/],
    [
      "non-numeric datetime",
      "HEART_RATE",
      `${T},75,4\nyesterday,75,4`,
      2,
      /datetime must be a number of Unix seconds \(got "yesterday"\)/,
    ],
    [
      "a header after data",
      "HEART_RATE",
      `${T},75,4\ndatetime,value,quality_indicator`,
      2,
      /datetime must be a number/,
    ],
    ["a second header", "HEART_RATE", "a,b,c\na,b,c\n", 2, /datetime must be a number/],
    ["fractional datetime", "HEART_RATE", `${T}.5,75,4`, 1, /datetime must be a whole number of Unix seconds/],
    ["datetime before 2000", "HEART_RATE", "946684799,75,4", 1, /datetime "946684799" is before 2000-01-01T00:00:00Z/],
    ["datetime after now + 1 day", "HEART_RATE", `\n\n${NOW + 86_401},75,4`, 3, /more than one day in the future$/],
    ["milliseconds", "HEART_RATE", `${T}000,75,4`, 1, /future \(milliseconds instead of seconds\?\)/],
    ["non-numeric value", "HEART_RATE", `${T},high,4`, 1, /value must be a decimal number \(got "high"\)/],
    ["hex value", "HEART_BEAT", `${T},0x320,4`, 1, /value must be a decimal number \(got "0x320"\)/],
    ["NaN", "TEMPERATURE", `${T},NaN,4`, 1, /value must be a decimal number \(got "NaN"\)/],
    ["Infinity", "TEMPERATURE", `${T},Infinity,4`, 1, /value must be a decimal number/],
    ["overflow to Infinity", "TEMPERATURE", `${T},1e999,4`, 1, /value must be finite/],
    ["empty value", "HEART_RATE", `${T},,4`, 1, /value must be a decimal number \(got ""\)/],
    ["fraction for an integer type", "HEART_RATE", `${T},75.5,4`, 1, /value must be an integer \(bpm\)/],
    ["value above range", "HEART_RATE", `${T},301,4`, 1, /value must be between 0 and 300 bpm/],
    ["value below range", "TEMPERATURE", `${T},-50.5,4`, 1, /value must be between -50 and 100 °C/],
    ["negative count", "ACTIVITY_COUNT", `${T},-1,4`, 1, /value must be between 0 and 2147483647/],
    ["unknown activity code", "ACTIVITY_TYPE", `${T},123,4`, 1, /value must be between 0 and 122 activity code/],
    ["quality 5", "HEART_RATE", `${T},75,5`, 1, /quality_indicator must be an integer 0-4 \(got "5"\)/],
    ["negative quality", "HEART_RATE", `${T},75,-1`, 1, /quality_indicator must be an integer 0-4/],
    ["fractional quality", "HEART_RATE", `${T},75,2.5`, 1, /quality_indicator must be an integer 0-4/],
    ["missing quality", "HEART_RATE", `${T},75,\n`, 1, /quality_indicator must be an integer 0-4 \(got ""\)/],
    ["binary data", "HEART_RATE", "\u0000\u0001PNG\u0002", 1, /control characters/],
    ["old Mac line endings", "HEART_RATE", `${T},75,4\r${T + 1},75,4\r`, 1, /lone "\\r"/],
  ];

  it.each(cases)("%s", (_, type, text, line, message) => {
    const error = csvError(type, text);
    expect(error.line).toBe(line);
    expect(error.message).toMatch(new RegExp(`^line ${line}: `));
    expect(error.message).toMatch(message);
  });

  it("counts lines over millions of rows: line 2000000", () => {
    const piece = bytes(`${T},75,4\n`.repeat(4096));
    const parser = createCsvParser("HEART_RATE", { add: () => {} }, { now: NOW });
    const fullPieces = Math.floor(1_999_999 / 4096);
    for (let i = 0; i < fullPieces; i++) parser.push(piece);
    parser.push(bytes(`${T},75,4\n`.repeat(1_999_999 - fullPieces * 4096)));
    let error: unknown;
    try {
      parser.push(bytes(`${T},75,7\n`));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CsvError);
    expect((error as CsvError).message).toBe('line 2000000: quality_indicator must be an integer 0-4 (got "7")');
    expect(parser.rows).toBe(1_999_999);
  });

  it("refuses a line longer than maxLineBytes, whether it straddles pieces or not", () => {
    const long = `${T},${"1".repeat(80)},4\n`;
    const inOnePiece = () => parsePiecesWithLimit([bytes(`${T},75,4\n${long}`)]);
    expect(inOnePiece).toThrow(/line 2: line is longer than 64 bytes/);
    const straddling = () => parsePiecesWithLimit([bytes(`${T},75,4\n${long.slice(0, 20)}`), bytes(long.slice(20))]);
    expect(straddling).toThrow(/line 2: line is longer than 64 bytes/);
    const neverEnding = () => parsePiecesWithLimit([bytes(`${T},75,4\n`), bytes("9".repeat(100))]);
    expect(neverEnding).toThrow(/line 2: line is longer than 64 bytes/);
  });
});

function parsePiecesWithLimit(pieces: Uint8Array[]): void {
  const parser = createCsvParser("HEART_RATE", { add: () => {} }, { now: NOW, maxLineBytes: 64 });
  for (const piece of pieces) parser.push(piece);
  parser.end();
}
