import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { I18n } from '../i18n.js';
import { visibleWindow, type Sort, type SortKey } from '../table-model.js';
import type { Row } from '../types.js';

export const ROW_HEIGHT = 44;
const OVERSCAN = 8;

interface Column {
  key: SortKey;
  label: string;
  className: string;
}

const COLUMNS: { key: SortKey; msg: string; className: string }[] = [
  { key: 'code', msg: 'colCode', className: 'c-code' },
  { key: 'product', msg: 'colProduct', className: 'c-product' },
  { key: 'exporter', msg: 'colExporter', className: 'c-exporter' },
  { key: 'province', msg: 'colProvince', className: 'c-province' },
  { key: 'category', msg: 'colCategory', className: 'c-category' },
  { key: 'committed', msg: 'colCommitted', className: 'c-num' },
  { key: 'stock', msg: 'colStock', className: 'c-num' },
  { key: 'stockAge', msg: 'colStockAge', className: 'c-age' },
  { key: 'ready', msg: 'colReady', className: 'c-ready' },
  { key: 'decision', msg: 'colDecision', className: 'c-decision' },
];

export const DECISION_ICON: Record<Row['decision'], string> = { undecided: '•', shortlisted: '🏆', rejected: '✖️', withdrawn: '⏏️' };

export function decisionLabel(i18n: I18n, d: Row['decision']): string {
  return `${DECISION_ICON[d]} ${i18n.t(`decision_${d}`)}`;
}

export function readinessText(i18n: I18n, row: Row): string {
  return row.ready ? `✅ ${i18n.t('ready')}` : `⚠️ ${row.reasons.length > 0 ? row.reasons.join('; ') : i18n.t('notReady')}`;
}

interface Props {
  i18n: I18n;
  rows: Row[];
  total: number;
  sort: Sort;
  now: number;
  /** Changes with the sort and the filters: a new order starts at its top (a poll's merge does not). */
  orderKey: string;
  selectedId: number | null;
  onSort: (key: SortKey) => void;
  onOpen: (row: Row) => void;
}

/**
 * A real <table> whose body renders only the rows in view (plus overscan) between two spacer rows,
 * at a fixed row height, so 5,000 entries scroll as lightly as 50.
 */
export function Table({ i18n, rows, total, sort, now, orderKey, selectedId, onSort, onOpen }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null) return;
    const measure = (): void => {
      setViewport(el.clientHeight);
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => {
      ro.disconnect();
    };
  }, []);

  // A new filter or sort starts at the top (the first render needs nothing).
  const firstOrder = useRef(true);
  useEffect(() => {
    if (firstOrder.current) {
      firstOrder.current = false;
      return;
    }
    const el = scroller.current;
    if (el === null) return;
    el.scrollTop = 0;
    setScrollTop(0);
  }, [orderKey]);
  // A list that shrank under the scroll position starts again at its top, not in blank space.
  useEffect(() => {
    const el = scroller.current;
    if (el !== null && el.scrollTop > rows.length * ROW_HEIGHT) {
      el.scrollTop = 0;
      setScrollTop(0);
    }
  }, [rows.length]);

  const { start, end } = visibleWindow(scrollTop, viewport, ROW_HEIGHT, rows.length, OVERSCAN);
  const columns: Column[] = COLUMNS.map((c) => ({ key: c.key, label: i18n.t(c.msg), className: c.className }));
  const visible = rows.slice(start, end);

  const onKeyDown = (e: KeyboardEvent, row: Row, index: number): void => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(row);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = index + (e.key === 'ArrowDown' ? 1 : -1);
      if (next < 0 || next >= rows.length) return;
      const el = scroller.current;
      if (el === null) return;
      const top = next * ROW_HEIGHT;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight - ROW_HEIGHT) el.scrollTop = top - el.clientHeight + 2 * ROW_HEIGHT;
      window.requestAnimationFrame(() => {
        el.querySelector<HTMLElement>(`tr[data-index="${next}"]`)?.focus();
      });
    }
  };

  return (
    <div
      class="scroller"
      ref={scroller}
      data-testid="table-scroller"
      onScroll={(e) => {
        setScrollTop(e.currentTarget.scrollTop);
      }}
    >
      <table class="grid" aria-rowcount={rows.length + 1} data-testid="table" data-total={total} data-shown={rows.length}>
        <colgroup>
          {columns.map((c) => (
            <col key={c.key} class={c.className} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {columns.map((c) => {
              const active = sort.key === c.key;
              const ariaSort = active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
              return (
                <th key={c.key} scope="col" aria-sort={ariaSort} class={c.className}>
                  <button
                    type="button"
                    class="sort"
                    data-testid={`sort-${c.key}`}
                    data-dir={active ? sort.dir : ''}
                    onClick={() => {
                      onSort(c.key);
                    }}
                  >
                    {c.label}
                    <span aria-hidden="true" class="arrow">
                      {active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {start > 0 && (
            <tr class="spacer" aria-hidden="true" style={{ height: `${start * ROW_HEIGHT}px` }}>
              <td colSpan={columns.length} />
            </tr>
          )}
          {visible.map((row, i) => {
            const index = start + i;
            return (
              <tr
                key={row.id}
                class={`row d-${row.decision}${row.ready ? ' is-ready' : ''}${selectedId === row.id ? ' selected' : ''}`}
                style={{ height: `${ROW_HEIGHT}px` }}
                tabIndex={0}
                aria-rowindex={index + 2}
                aria-selected={selectedId === row.id}
                data-index={index}
                data-testid="row"
                data-id={row.id}
                data-code={row.code}
                data-version={row.version}
                onClick={() => {
                  onOpen(row);
                }}
                onKeyDown={(e) => {
                  onKeyDown(e, row, index);
                }}
              >
                <td class="c-code">{row.code}</td>
                <td class="c-product" title={row.product}>
                  {row.product}
                </td>
                <td class="c-exporter" title={row.exporter}>
                  {row.exporter}
                </td>
                <td class="c-province">{row.province}</td>
                <td class="c-category">{row.category}</td>
                <td class="c-num">
                  {i18n.num(row.committed)} <span class="unit">{row.unit}</span>
                </td>
                <td class="c-num">{row.stock === null ? '—' : i18n.num(row.stock)}</td>
                <td class="c-age" data-testid="stock-age">
                  {row.stockAt === null ? i18n.t('noStock') : i18n.age(row.stockAt, now)}
                </td>
                <td class="c-ready" title={readinessText(i18n, row)} data-testid="readiness">
                  {readinessText(i18n, row)}
                </td>
                <td class="c-decision" data-testid="decision">
                  {decisionLabel(i18n, row.decision)}
                </td>
              </tr>
            );
          })}
          {end < rows.length && (
            <tr class="spacer" aria-hidden="true" style={{ height: `${(rows.length - end) * ROW_HEIGHT}px` }}>
              <td colSpan={columns.length} />
            </tr>
          )}
        </tbody>
      </table>
      {rows.length === 0 && (
        <p class="empty" data-testid="empty">
          {i18n.t('noRows')}
        </p>
      )}
    </div>
  );
}
