// Connection problems in plain words, at the top of the phone: a red strip while the phone is
// cut off, a green one for a moment when it is back. The page reconnects by itself
// (LiveConnection); this only says what is going on.

const BACK_NOTICE_MS = 2500;

export class ConnectionNotice {
  constructor(strip) {
    this.strip = strip;
    this.timer = null;
  }

  lost() {
    this.put("网络已断开，正在重新连接…", "bad");
  }

  back() {
    this.put("已重新连接", "ok");
    this.timer = setTimeout(() => this.clear(), BACK_NOTICE_MS);
  }

  clear() {
    clearTimeout(this.timer);
    this.strip.hidden = true;
    this.strip.textContent = "";
  }

  put(text, tone) {
    clearTimeout(this.timer);
    this.strip.textContent = text;
    this.strip.dataset.tone = tone;
    this.strip.hidden = false;
  }
}
