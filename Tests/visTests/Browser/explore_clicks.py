"""Drives `vis explore` in headless Chromium with real clicks (Selenium + chromedriver).

Usage: explore_clicks.py URL OUT.json [vit]
Clicks two points of the picture, waits for each new view, and records the query the page
sent, the request, and the view's pixels exactly as decoded by the browser (drawn at natural
size into a canvas, PNG data URL); then ticks "per-head grid" and clicks once more. Also
clicks 12 times fast at other points and records the click-to-picture times. Writes JSON.
With "vit" (a page over a trained vision transformer): clicks twice, then picks block 1 and
head 2 in the selectors and clicks once more.
"""
import json
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

url, out = sys.argv[1], sys.argv[2]
scenario = sys.argv[3] if len(sys.argv) > 3 else "defaults"
options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--window-size=1400,900", "--force-color-profile=srgb"]:
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_script_timeout(60)

GRAB = """
const done = arguments[arguments.length - 1];
const img = document.getElementById('view');
const c = document.createElement('canvas');
c.width = img.naturalWidth; c.height = img.naturalHeight;
c.getContext('2d').drawImage(img, 0, 0);
done(c.toDataURL('image/png'));
"""


def wait(condition, seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        value = driver.execute_script(condition)
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError(condition)


def click(fx, fy):
    """Clicks at a fraction of the picture's shown size; returns what the page asked and showed."""
    picture = driver.find_element(By.ID, "picture")
    w, h = picture.size["width"], picture.size["height"]
    # Selenium offsets are from the element's centre.
    ActionChains(driver).move_to_element_with_offset(picture, int(w * fx - w / 2), int(h * fy - h / 2)).click().perform()
    clicks = driver.execute_script("return window.visClicks")
    wait(f"return window.visShownClick === {clicks} && window.visShown === window.visLastQuery.request")
    query = driver.execute_script("return window.visLastQuery")
    return {"x": query["x"], "y": query["y"], "request": query["request"],
            "png": driver.execute_async_script(GRAB)}


try:
    driver.get(url)
    wait("return window.visReady === true")
    result = {"clicks": [click(0.25, 0.3), click(0.7, 0.65)]}
    if scenario == "vit":
        Select(driver.find_element(By.ID, "layer")).select_by_value("1")
        Select(driver.find_element(By.ID, "head")).select_by_value("2")
        result["controls"] = click(0.6, 0.4)
        result["timings"] = driver.execute_script("return window.visTimings")
        with open(out, "w") as f:
            json.dump(result, f)
        sys.exit(0)
    driver.find_element(By.ID, "heads").click()   # a new request with heads=1 for the same point
    result["heads"] = click(0.5, 0.55)
    # Fast clicks: newest wins, so fewer pictures than clicks may be drawn; time each drawn one.
    driver.find_element(By.ID, "heads").click()
    first = driver.execute_script("return window.visTimings.length")
    picture = driver.find_element(By.ID, "picture")
    w, h = picture.size["width"], picture.size["height"]
    for i in range(12):
        ActionChains(driver).move_to_element_with_offset(picture, int(w * (0.1 + 0.07 * i) - w / 2), int(h * 0.5 - h / 2)).click().perform()
    clicks = driver.execute_script("return window.visClicks")
    wait(f"return window.visShownClick === {clicks}")
    result["timings"] = driver.execute_script(f"return window.visTimings.slice({first})")
    result["requests"] = driver.execute_script("return window.visRequests")
    with open(out, "w") as f:
        json.dump(result, f)
finally:
    driver.quit()
