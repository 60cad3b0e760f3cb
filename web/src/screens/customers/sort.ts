import type { CustomerSort } from '../../api/types.ts'

/** The table's sortable columns and the API's sort keys behind them. */
export type SortColumn = 'name' | 'updated_at' | 'created_at'

export const defaultSort: CustomerSort = '-updated_at'

/**
 * Clicking a column header: the same column flips direction; another column
 * starts in the direction people expect (names A→Z, dates newest first).
 */
export function nextSort(current: CustomerSort | undefined, column: SortColumn): CustomerSort {
  const sort = current ?? defaultSort
  if (sort === column) return `-${column}` as CustomerSort
  if (sort === `-${column}`) return column
  return column === 'name' ? 'name' : (`-${column}` as CustomerSort)
}

/** aria-sort for a header: only the sorted column says which way. */
export function ariaSort(
  current: CustomerSort | undefined,
  column: SortColumn,
): 'ascending' | 'descending' | 'none' {
  const sort = current ?? defaultSort
  if (sort === column) return 'ascending'
  if (sort === `-${column}`) return 'descending'
  return 'none'
}
