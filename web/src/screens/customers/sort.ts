import {
  type CustomerSort,
  type CustomerSortColumn,
  defaultCustomerSort,
} from '../../../../functions/domain/vocabulary.ts'

/**
 * Clicking a column header: the same column flips direction; another column
 * starts in the direction people expect (names A→Z, dates newest first).
 */
export function nextSort(current: CustomerSort | undefined, column: CustomerSortColumn): CustomerSort {
  const sort = current ?? defaultCustomerSort
  if (sort === column) return `-${column}` as CustomerSort
  if (sort === `-${column}`) return column
  return column === 'name' ? 'name' : (`-${column}` as CustomerSort)
}

/** aria-sort for a header: only the sorted column says which way. */
export function ariaSort(
  current: CustomerSort | undefined,
  column: CustomerSortColumn,
): 'ascending' | 'descending' | 'none' {
  const sort = current ?? defaultCustomerSort
  if (sort === column) return 'ascending'
  if (sort === `-${column}`) return 'descending'
  return 'none'
}
