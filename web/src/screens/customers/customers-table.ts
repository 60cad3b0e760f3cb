import type { CustomerSortColumn } from '../../../../functions/domain/vocabulary.ts'
import type { Customer, CustomerSort, Member, Phase, Role } from '../../api/types.ts'
import { canWriteCustomer } from '../../auth/permissions.ts'
import { html } from '../../html.ts'
import { memberName } from '../../state/use-members.ts'
import { CustomerRow } from './customer-row.ts'
import { ariaSort } from './sort.ts'

export interface CustomersTableProps {
  org: string
  rows: readonly Customer[]
  members: readonly Member[] | undefined
  role: Role
  userId: string
  sort: CustomerSort | undefined
  busy: boolean
  saving: ReadonlySet<string>
  onSort: (column: CustomerSortColumn) => void
  onPhase: (customer: Customer, phase: Phase) => void
}

/** The customers as a table: sortable headers are buttons inside <th aria-sort>, names are links. */
export function CustomersTable(props: CustomersTableProps) {
  const header = (column: CustomerSortColumn, label: string) => {
    const sorted = ariaSort(props.sort, column)
    return html`<th scope="col" aria-sort=${sorted}>
      <button type="button" class="sort-button" onClick=${() => props.onSort(column)}>
        ${label}<span aria-hidden="true" class="sort-arrow">${sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : '↕'}</span>
      </button>
    </th>`
  }
  return html`<div class="table-wrap customers-table-wrap">
    <table class="customers-table" aria-busy=${props.busy ? 'true' : 'false'} aria-describedby="customers-count">
      <caption class="visually-hidden">Customers</caption>
      <thead>
        <tr>
          ${header('name', 'Name')}
          <th scope="col">Phase</th>
          <th scope="col">Owner</th>
          ${header('updated_at', 'Updated')}
          ${header('created_at', 'Created')}
        </tr>
      </thead>
      <tbody>
        ${props.rows.map(
          (customer) => html`<${CustomerRow}
            key=${customer.id}
            org=${props.org}
            customer=${customer}
            ownerName=${memberName(props.members, customer.owner_id)}
            writable=${canWriteCustomer(props.role, props.userId, customer)}
            saving=${props.saving.has(customer.id)}
            onPhase=${props.onPhase}
          />`,
        )}
      </tbody>
    </table>
  </div>`
}
