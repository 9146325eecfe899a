import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api.js';
import type { I18n } from '../i18n.js';
import { onBackButton, onMainButton, post } from '../telegram.js';
import type { Counts, DecisionAction, EntryDetail, RejectReasonKeyName, Row } from '../types.js';
import { StockChart } from './StockChart.js';
import { decisionLabel, readinessText } from './Table.js';

/** The chat's reasons (review.reason*, sent with the session's messages by src/web/messages.ts). */
export const REJECT_REASON_KEYS = ['reasonStock', 'reasonQuality', 'reasonCertification', 'reasonQuota'] as const;
/** What the API stores for each (a key, so each reader sees the reason in their own language). */
const API_REASON_KEY: Record<(typeof REJECT_REASON_KEYS)[number], RejectReasonKeyName> = {
  reasonStock: 'reject_stock',
  reasonQuality: 'reject_quality',
  reasonCertification: 'reject_certification',
  reasonQuota: 'reject_quota',
};
const isListed = (k: string): k is (typeof REJECT_REASON_KEYS)[number] => (REJECT_REASON_KEYS as readonly string[]).includes(k);
/** The server's (and the chat's) bounds for a reason: anything else is refused as a bad request. */
export const REASON_MIN = 3;
export const REASON_MAX = 200;

interface Props {
  i18n: I18n;
  api: ApiClient;
  row: Row;
  now: number;
  onRow: (row: Row, counts?: Counts) => void;
  onClose: () => void;
}

interface Notice {
  tone: 'ok' | 'warn' | 'error';
  text: string;
}

interface Pending {
  action: DecisionAction;
  reason?: string;
  reasonKey?: RejectReasonKeyName;
}

function errorText(i18n: I18n, e: unknown): string {
  if (e instanceof ApiError) return i18n.t(e.status === 401 ? 'errorSession' : e.status === 403 ? 'errorForbidden' : 'errorGeneric');
  return i18n.t('errorNetwork');
}

/** The product panel: chart, reports, details, contact, history and the decision buttons. */
export function Panel({ i18n, api, row, now, onRow, onClose }: Props) {
  const [detail, setDetail] = useState<EntryDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [confirm, setConfirm] = useState<{ pending: Pending; message: string } | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [reasonKey, setReasonKey] = useState<string>('');
  const [reasonText, setReasonText] = useState('');
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    setDetail(null);
    setLoadError(null);
    setNotice(null);
    setConfirm(null);
    setRejecting(false);
    api.entry(row.id).then(
      (d) => {
        if (!live) return;
        setDetail(d);
        if (d.row.version > row.version) onRow(d.row);
      },
      (e: unknown) => {
        if (live) setLoadError(errorText(i18n, e));
      },
    );
    dialog.current?.focus();
    return () => {
      live = false;
    };
    // Reload only when another entry is opened, not on every version bump of this one.
  }, [row.id]);

  const decide = async (pending: Pending, confirmNotReady = false): Promise<void> => {
    setBusy(true);
    setNotice(null);
    try {
      const body = {
        action: pending.action,
        version: row.version,
        ...(pending.reason !== undefined ? { reason: pending.reason } : {}),
        ...(pending.reasonKey !== undefined ? { reasonKey: pending.reasonKey } : {}),
        ...(confirmNotReady ? { confirmNotReady: true } : {}),
      };
      const outcome = await api.decide(row.id, body);
      switch (outcome.kind) {
        case 'ok':
          setConfirm(null);
          setRejecting(false);
          onRow(outcome.row, outcome.counts);
          setNotice({ tone: 'ok', text: i18n.t(`saved_${pending.action}`) });
          // The pressed button is replaced (🏆 by ↩️): keep the focus inside the dialog.
          dialog.current?.focus();
          break;
        case 'stale':
          setConfirm(null);
          onRow(outcome.row);
          setNotice({ tone: 'warn', text: i18n.t('stale', { decision: decisionLabel(i18n, outcome.row.decision) }) });
          break;
        case 'needs_confirmation':
          if (outcome.row !== null) onRow(outcome.row);
          setConfirm({ pending, message: outcome.message === '' ? i18n.t('confirmNotReadyDefault') : outcome.message });
          break;
        case 'refused':
          setConfirm(null);
          if (outcome.row !== null) onRow(outcome.row);
          setNotice({ tone: 'error', text: outcome.message !== '' ? outcome.message : i18n.has(`refused_${outcome.error}`) ? i18n.t(`refused_${outcome.error}`) : i18n.t('errorGeneric') });
          break;
      }
    } catch (e) {
      setNotice({ tone: 'error', text: errorText(i18n, e) });
    } finally {
      setBusy(false);
    }
  };

  const canPick = row.decision === 'undecided';
  const canReject = row.decision === 'undecided';
  const canUndo = row.decision === 'shortlisted' || row.decision === 'rejected';

  // Telegram's main button is the panel's primary action (pick), hidden when it does not apply.
  const pickRef = useRef<() => void>(() => undefined);
  pickRef.current = () => {
    if (canPick && !busy && confirm === null) void decide({ action: 'shortlist' });
  };
  useEffect(() => onMainButton(() => {
    pickRef.current();
  }), []);
  useEffect(() => {
    const visible = canPick && confirm === null;
    post('web_app_setup_main_button', visible ? { is_visible: true, is_active: !busy, is_progress_visible: busy, text: i18n.t('pick') } : { is_visible: false });
  }, [canPick, busy, confirm, i18n]);
  // Escape closes the panel wherever the focus is: after a decision the pressed button is gone and
  // the focus falls back to <body>, outside the dialog.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !e.defaultPrevented) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
    };
  }, [onClose]);
  useEffect(() => {
    post('web_app_setup_back_button', { is_visible: true });
    const off = onBackButton(onClose);
    return () => {
      off();
      post('web_app_setup_back_button', { is_visible: false });
      post('web_app_setup_main_button', { is_visible: false });
    };
  }, [onClose]);

  const submitReject = (e: Event): void => {
    e.preventDefault();
    const typed = reasonText.trim();
    // A listed reason alone goes as its key; with words added, the whole line is typed words.
    if (typed === '' && isListed(reasonKey)) {
      void decide({ action: 'reject', reasonKey: API_REASON_KEY[reasonKey] });
      return;
    }
    const chosen = reasonKey === '' ? '' : i18n.t(reasonKey);
    const reason = [chosen, typed].filter((s) => s !== '').join(': ').slice(0, REASON_MAX).trim();
    if (reason.length < REASON_MIN) {
      setNotice({ tone: 'warn', text: i18n.t('reasonRequired') });
      return;
    }
    void decide({ action: 'reject', reason });
  };

  const product = detail?.product;
  const contact = detail?.contact;
  return (
    <div class="overlay" onClick={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div
        class="panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby="panel-title"
        tabIndex={-1}
        ref={dialog}
        data-testid="panel"
        data-decision={row.decision}
        data-version={row.version}
      >
        <header class="panel-head">
          <div>
            <h2 id="panel-title">{row.product}</h2>
            <p class="hint">
              {row.code} · {row.exporter} · {row.province}
            </p>
          </div>
          <button type="button" class="icon" data-testid="panel-close" aria-label={i18n.t('close')} onClick={onClose}>
            ✕
          </button>
        </header>

        <section class="status">
          <p data-testid="panel-readiness">{readinessText(i18n, row)}</p>
          <p data-testid="panel-decision">{decisionLabel(i18n, row.decision)}</p>
        </section>

        <div class="actions" role="group" aria-label={i18n.t('decisionActions')}>
          {canPick && (
            <button type="button" class="primary" data-testid="btn-pick" disabled={busy} onClick={() => void decide({ action: 'shortlist' })}>
              🏆 {i18n.t('pick')}
            </button>
          )}
          {canReject && (
            <button type="button" data-testid="btn-reject" aria-expanded={rejecting} disabled={busy} onClick={() => { setRejecting(!rejecting); }}>
              ✖️ {i18n.t('reject')}
            </button>
          )}
          {canUndo && (
            <button type="button" data-testid="btn-undo" disabled={busy} onClick={() => void decide({ action: 'undo' })}>
              ↩️ {i18n.t('undo')}
            </button>
          )}
        </div>

        {rejecting && canReject && (
          <form class="reject" data-testid="reject-form" onSubmit={submitReject}>
            <fieldset>
              <legend>{i18n.t('rejectReasonTitle')}</legend>
              {REJECT_REASON_KEYS.map((k) => (
                <label key={k}>
                  <input type="radio" name="reason" value={k} checked={reasonKey === k} onChange={() => { setReasonKey(k); }} data-testid={`reason-${k}`} />
                  {i18n.t(k)}
                </label>
              ))}
            </fieldset>
            <label class="block">
              {i18n.t('reasonOther')}
              <textarea
                rows={2}
                maxLength={REASON_MAX}
                value={reasonText}
                data-testid="reason-text"
                placeholder={i18n.t('reasonPlaceholder')}
                onInput={(e) => { setReasonText(e.currentTarget.value); }}
              />
            </label>
            <div class="actions">
              <button type="submit" class="danger" data-testid="btn-reject-send" disabled={busy}>
                ✖️ {i18n.t('rejectSend')}
              </button>
              <button type="button" onClick={() => { setRejecting(false); }}>
                {i18n.t('cancel')}
              </button>
            </div>
          </form>
        )}

        {confirm !== null && (
          <div class="notice warn" role="alertdialog" aria-labelledby="confirm-text" data-testid="confirm">
            <p id="confirm-text">{confirm.message}</p>
            <div class="actions">
              <button type="button" class="primary" data-testid="btn-confirm" disabled={busy} onClick={() => void decide(confirm.pending, true)}>
                {i18n.t('confirmNotReady')}
              </button>
              <button type="button" data-testid="btn-confirm-cancel" onClick={() => { setConfirm(null); }}>
                {i18n.t('cancel')}
              </button>
            </div>
          </div>
        )}
        {notice !== null && (
          <p class={`notice ${notice.tone}`} role="status" data-testid="notice">
            {notice.text}
          </p>
        )}

        {loadError !== null && <p class="notice error" role="alert">{loadError}</p>}
        {detail === null && loadError === null && <p class="hint">{i18n.t('loading')}</p>}
        {detail !== null && product !== undefined && contact !== undefined && (
          <div class="detail" data-testid="panel-detail">
            <section>
              <h3>{i18n.t('chartTitle')}</h3>
              <StockChart i18n={i18n} points={detail.points} committed={detail.committed} unit={product.unit} />
              <p class="hint">
                {i18n.t('committedLine', { n: detail.committed, unit: product.unit })}
              </p>
            </section>
            <section>
              <h3>{i18n.t('lastReports')}</h3>
              {detail.reports.length === 0 ? (
                <p class="hint">{i18n.t('noReports')}</p>
              ) : (
                <table class="mini">
                  <thead>
                    <tr>
                      <th scope="col">{i18n.t('reportAt')}</th>
                      <th scope="col" class="c-num">{i18n.t('reportQuantity')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {detail.reports.map((r) => (
                      <tr key={r.at}>
                        <td title={i18n.dateTime(r.at)}>{i18n.age(r.at, now)}</td>
                        <td class="c-num">
                          {i18n.num(r.quantity)} {product.unit}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section>
              <h3>{i18n.t('productDetails')}</h3>
              <dl>
                <dt>{i18n.t('colCategory')}</dt>
                <dd>{product.category}</dd>
                <dt>{i18n.t('capacity')}</dt>
                <dd>{product.capacity === null ? '—' : `${i18n.num(product.capacity)} ${product.unit}`}</dd>
                <dt>{i18n.t('minOrder')}</dt>
                <dd>{product.minOrder === null ? '—' : `${i18n.num(product.minOrder)} ${product.unit}`}</dd>
                <dt>{i18n.t('certifications')}</dt>
                <dd data-testid="certifications">{product.certifications.length === 0 ? i18n.t('noCertifications') : product.certifications.join(', ')}</dd>
              </dl>
              {product.description !== null && product.description !== '' && <p class="description">{product.description}</p>}
            </section>
            <section>
              <h3>{i18n.t('contact')}</h3>
              <dl data-testid="contact">
                <dt>{i18n.t('company')}</dt>
                <dd>{contact.company}</dd>
                {contact.contactPerson !== null && (
                  <>
                    <dt>{i18n.t('contactPerson')}</dt>
                    <dd>{contact.contactPerson}</dd>
                  </>
                )}
                {contact.phone !== null && (
                  <>
                    <dt>{i18n.t('phone')}</dt>
                    <dd>
                      <a href={`tel:${contact.phone.replace(/[^+\d]/g, '')}`}>{contact.phone}</a>
                    </dd>
                  </>
                )}
                {contact.email !== null && (
                  <>
                    <dt>{i18n.t('email')}</dt>
                    <dd>
                      <a href={`mailto:${contact.email}`}>{contact.email}</a>
                    </dd>
                  </>
                )}
                <dt>{i18n.t('location')}</dt>
                <dd>{[contact.city, contact.province].filter((s) => s !== null && s !== '').join(', ')}</dd>
              </dl>
            </section>
            <section>
              <h3>{i18n.t('history')}</h3>
              {detail.history.length === 0 ? (
                <p class="hint">{i18n.t('noHistory')}</p>
              ) : (
                <ol class="history" data-testid="history">
                  {detail.history.map((h, i) => (
                    <li key={`${h.at}-${i}`}>
                      <time dateTime={h.at}>{i18n.dateTime(h.at)}</time> {h.text}
                    </li>
                  ))}
                </ol>
              )}
            </section>
          </div>
        )}
      </div>
    </div>
  );
}
