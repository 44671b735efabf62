// A CSP-safe style directive: sets inline styles through the CSSOM (element.style), which a
// `style-src 'self'` policy allows, unlike a `style="…"` attribute. lit's styleMap writes
// the attribute on first render, so elements use this instead: <span ${cssom({width})}>.
import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

export type CssProps = Readonly<Record<string, string>>;

class CssomDirective extends Directive {
  private previous: CssProps = {};

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('cssom() goes on an element: <span ${cssom({...})}>');
  }

  render(_props: CssProps): unknown {
    return noChange;
  }

  override update(part: ElementPart, [props]: [CssProps]): unknown {
    const style = (part.element as HTMLElement).style;
    for (const name of Object.keys(this.previous)) if (!(name in props)) style.removeProperty(name);
    for (const [name, value] of Object.entries(props)) style.setProperty(name, value);
    this.previous = props;
    return noChange;
  }
}

export const cssom = directive(CssomDirective);
