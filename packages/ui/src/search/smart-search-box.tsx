// The search box for searching by description ("dog on a beach"). What is typed becomes the `q`
// of the address when submitted, so a search can be shared, reloaded and gone back to.
import { useEffect, useState } from 'react';
import { Icon } from '../components/icons.tsx';

export const SMART_SEARCH_INPUT = 'smart-search-input';

export function SmartSearchBox({ value, onSearch, autoFocus }: { value: string; onSearch(q: string): void; autoFocus?: boolean }) {
  const [text, setText] = useState(value);
  // Back, Forward and links change the address: the box follows.
  useEffect(() => setText(value), [value]);
  return (
    <form
      className="smart-search"
      role="search"
      aria-label="Search your photos"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(text.trim());
      }}
    >
      <Icon name="search" className="smart-search-icon" />
      <label className="sr-only" htmlFor={SMART_SEARCH_INPUT}>Describe what you are looking for</label>
      <input
        id={SMART_SEARCH_INPUT}
        type="search"
        className="smart-search-input"
        placeholder="Search your photos: dog on a beach"
        value={text}
        maxLength={1000}
        autoComplete="off"
        enterKeyHint="search"
        autoFocus={autoFocus}
        data-testid="smart-search-input"
        onChange={(e) => {
          setText(e.target.value);
          // Clearing the box (its × or select-all and delete) goes back to the filters at once.
          if (e.target.value === '' && value) onSearch('');
        }}
      />
      <button type="submit" className="btn btn-primary" disabled={!text.trim()} data-testid="smart-search-submit">Search</button>
    </form>
  );
}
