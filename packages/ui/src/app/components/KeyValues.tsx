/** A two-column table of string fields, values as text; optional click-to-filter per key. */

export function KeyValues({ data, onPick }: { data: Record<string, unknown>; onPick?: (key: string, value: string) => void }) {
  const keys = Object.keys(data).sort();
  if (keys.length === 0) return <p class="muted">none</p>;
  return (
    <table class="kv">
      <tbody>
        {keys.map((k) => {
          const v = data[k];
          const text = typeof v === 'string' ? v : JSON.stringify(v);
          return (
            <tr key={k}>
              <th>{k}</th>
              <td>
                <span class="kv-value">{text}</span>
                {onPick && text !== '' && (
                  <button type="button" class="link-btn" title={`filter ${k}:${text}`} onClick={() => onPick(k, text)}>filter</button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
