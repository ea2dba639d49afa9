import { visibleWidth } from './color.js';

export interface Column {
  header: string;
  /** Right-align (numbers). */
  right?: boolean;
}

/**
 * A plain text table: a header row and rows, columns separated by two spaces, padded by visible
 * width (colour codes do not count). Returns the lines joined with `\n`, with a trailing one.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string {
  const widths = columns.map((column, i) =>
    Math.max(visibleWidth(column.header), ...rows.map((row) => visibleWidth(row[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((column, i) => {
        const cell = cells[i] ?? '';
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleWidth(cell)));
        if (i === columns.length - 1 && !column.right) return cell; // no trailing blanks
        return column.right ? pad + cell : cell + pad;
      })
      .join('  ');
  return `${[line(columns.map((c) => c.header)), ...rows.map(line)].join('\n')}\n`;
}
