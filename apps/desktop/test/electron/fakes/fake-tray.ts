// The fake tray and the lookup of menu items by label or role (tray, app and dock menus).
import type { MenuItemSpec, TrayLike } from '../../../src/electron/main/electron-api.ts';
import { Emitter } from './fake-window.ts';

export class FakeTray extends Emitter implements TrayLike {
  readonly iconPath: string;
  readonly tooltips: string[] = [];
  menu: MenuItemSpec[] = [];
  /** How many times a context menu was set (each one a new native menu). */
  menuBuilds = 0;
  destroyed = false;

  constructor(iconPath: string) {
    super();
    this.iconPath = iconPath;
  }

  setToolTip(text: string): void {
    this.tooltips.push(text);
  }
  setContextMenu(template: MenuItemSpec[]): void {
    this.menu = template;
    this.menuBuilds++;
  }
  destroy(): void {
    this.destroyed = true;
  }

  /** Clicks the menu item with this label. */
  click(label: string): void {
    const item = findMenuItem(this.menu, label);
    if (!item?.click) throw new Error(`no tray menu item ${label}`);
    item.click();
  }
}

/** The first item with this label or role, anywhere in the menu. */
export function findMenuItem(template: readonly MenuItemSpec[], labelOrRole: string): MenuItemSpec | undefined {
  for (const item of template) {
    if (item.label === labelOrRole || item.role === labelOrRole) return item;
    const inner = item.submenu ? findMenuItem(item.submenu, labelOrRole) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

